#!/usr/bin/env bash
# Benchmark `sheepdog scan` on synthetic SAM corpora of N templates (or, with
# KIND=terraform, N Terraform root modules of ~20 functions each).
#
#   bench/run.sh [N...]          (default: 100 1000 10000)
#
# Environment knobs:
#   KIND=sam            sam (bench/gen_corpus.py) or terraform (bench/gen_tf_corpus.py)
#   REPEAT=3            timed runs per N (the median is reported)
#   SEED=42             corpus seed (passed to bench/gen_corpus.py)
#   SHEEPDOG_BIN=path   time this binary instead of building target/release/sheepdog
#
# Builds the release binary once, generates bench/out/corpus-N once (kept
# between runs while the count, the seed and gen_corpus.py are unchanged),
# warms the page cache with one untimed scan, then times REPEAT scans with
# /usr/bin/time -v. Prints a Markdown table and writes it to
# bench/out/results.md. See bench/README.md.
set -euo pipefail
export LC_ALL=C  # '.' as the decimal separator for awk, sort -g and $EPOCHREALTIME

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
REPEAT=${REPEAT:-3}
KIND=${KIND:-sam}
case "$KIND" in
    sam) GEN="$ROOT/bench/gen_corpus.py" PREFIX=corpus UNIT_FILE='template.*' UNIT=templates ;;
    terraform) GEN="$ROOT/bench/gen_tf_corpus.py" PREFIX=corpus-tf UNIT_FILE=main.tf UNIT="root modules" ;;
    *) echo "run.sh: KIND must be sam or terraform, got '$KIND'" >&2; exit 2 ;;
esac
SEED=${SEED:-42}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${SHEEPDOG_BIN:-$TARGET_DIR/release/sheepdog}

if [ "$#" -eq 0 ]; then
    set -- 100 1000 10000
fi
for n in "$@"; do
    if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
        echo "run.sh: N must be a positive integer, got '$n'" >&2
        exit 2
    fi
done
if ! [[ "$REPEAT" =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: REPEAT must be a positive integer, got '$REPEAT'" >&2
    exit 2
fi

log() { printf '==> %s\n' "$*" >&2; }

# ---- /usr/bin/time (GNU time, for -v) --------------------------------------
if [ ! -x /usr/bin/time ]; then
    log "/usr/bin/time missing: installing Debian's 'time' package"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi

# ---- build ----------------------------------------------------------------
if [ -z "${SHEEPDOG_BIN:-}" ]; then
    log "cargo build --release -p sheepdog"
    cargo build --release -p sheepdog
fi
if [ ! -x "$BIN" ]; then
    echo "run.sh: $BIN not found after the build" >&2
    exit 2
fi

mkdir -p "$OUT"

# ---- corpora --------------------------------------------------------------
GEN_HASH=$(sha256sum "$GEN" | cut -c1-16)
for n in "$@"; do
    dir="$OUT/$PREFIX-$n"
    stamp="$OUT/$PREFIX-$n.stamp"
    want="count=$n seed=$SEED gen=$GEN_HASH"
    have_count=0
    if [ -d "$dir" ]; then
        have_count=$(find "$dir" -mindepth 2 -maxdepth 2 -name "$UNIT_FILE" | wc -l)
    fi
    if [ "$have_count" -eq "$n" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        log "$PREFIX-$n: up to date ($n $UNIT)"
        continue
    fi
    log "$PREFIX-$n: generating $n $UNIT"
    rm -rf "$dir" "$stamp"
    python3 "$GEN" --count "$n" --out "$dir" --seed "$SEED"
    echo "$want" >"$stamp"
done

# ---- does `scan` accept --fail-on none? -------------------------------------
EXTRA=()
if "$BIN" scan --help 2>/dev/null | grep -q -- '--fail-on'; then
    EXTRA=(--fail-on none)
fi

# run_scan N TIMEFILE ERRFILE [STDOUT] -> exit status of the scan (time -v passes it on)
run_scan() {
    local n=$1 timefile=$2 errfile=$3 outfile=${4:-/dev/null} rc=0
    /usr/bin/time -v -o "$timefile" \
        "$BIN" scan "$OUT/$PREFIX-$n" --format json "${EXTRA[@]}" >"$outfile" 2>"$errfile" || rc=$?
    return "$rc"
}

check_rc() {  # check_rc RC N ERRFILE: 0 = clean, 1 = findings; 2+ = failure
    local rc=$1 n=$2 errfile=$3
    if [ "$rc" -ge 2 ]; then
        echo "run.sh: 'sheepdog scan' on corpus-$n exited $rc; its stderr:" >&2
        head -c 20000 "$errfile" >&2 || true
        exit 1
    fi
}

median() {  # median of the numbers given as arguments
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

field() {  # field FILE LABEL -> value after "LABEL: " in a time -v report
    awk -F': ' -v k="$2" '{ sub(/^[ \t]+/, "") } index($0, k ": ") == 1 { print $2; exit }' "$1"
}

# ---- measure --------------------------------------------------------------
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ROWS=()
PER_FILE=()
WARNINGS=()
for n in "$@"; do
    errfile="$TMP/stderr-$n"
    # untimed warm-up: fills the page cache and checks the flags are accepted
    log "corpus-$n: warm-up"
    rc=0
    run_scan "$n" "$TMP/warm.time" "$errfile" "$TMP/warm.out" || rc=$?
    if [ "$rc" -ge 2 ] && [ "${#EXTRA[@]}" -gt 0 ]; then
        log "scan rejected '${EXTRA[*]}' (exit $rc); retrying without it"
        EXTRA=()
        rc=0
        run_scan "$n" "$TMP/warm.time" "$errfile" "$TMP/warm.out" || rc=$?
    fi
    check_rc "$rc" "$n" "$errfile"
    # the timed runs send stdout to /dev/null; the warm-up keeps it for a sanity check
    if [ ! -s "$TMP/warm.out" ]; then
        WARNINGS+=("corpus-$n: the scan printed nothing on stdout with --format json (is \`scan\` implemented yet?)")
        log "WARNING: ${WARNINGS[-1]}"
    fi
    rm -f "$TMP/warm.out"

    walls=() cpus=() rss=()
    for i in $(seq 1 "$REPEAT"); do
        t0=$EPOCHREALTIME
        rc=0
        run_scan "$n" "$TMP/run.time" "$errfile" || rc=$?
        t1=$EPOCHREALTIME
        check_rc "$rc" "$n" "$errfile"
        user=$(field "$TMP/run.time" "User time (seconds)")
        sys=$(field "$TMP/run.time" "System time (seconds)")
        maxrss=$(field "$TMP/run.time" "Maximum resident set size (kbytes)")
        # wall from the shell's microsecond clock: time -v's "Elapsed" has only
        # 10 ms resolution, too coarse for the small corpora
        walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
        rss+=("$maxrss")
        log "corpus-$n run $i/$REPEAT: wall ${walls[-1]} s, cpu ${cpus[-1]} s, rss $maxrss KB, exit $rc"
    done
    w=$(median "${walls[@]}")
    c=$(median "${cpus[@]}")
    r=$(median "${rss[@]}")
    ROWS+=("$(awk -v n="$n" -v w="$w" -v c="$c" -v r="$r" 'BEGIN {
        printf "| %d | %.3f | %.2f | %.1f | %.0f |", n, w, c, r / 1024, n / w }')")
    PER_FILE+=("$n:$w:$r")
done

# ---- report ---------------------------------------------------------------
{
    echo "# sheepdog scan benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- host: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
        "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "- binary: \`${BIN#"$ROOT"/} scan DIR --format json${EXTRA[*]:+ ${EXTRA[*]}}\`," \
        "$(rustc --version 2>/dev/null || echo rustc unknown)"
    echo "- corpus: ${GEN#"$ROOT"/} --seed $SEED; median of $REPEAT runs after one warm-up run"
    for w in "${WARNINGS[@]}"; do
        echo "- **WARNING**: $w"
    done
    echo
    echo "| N $UNIT | wall (s) | CPU (s) | peak RSS (MB) | $UNIT/s |"
    echo "|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Targets: 1,000 templates under 1 s wall on 2 cores; peak RSS under 200 MB; cost linear in N."
    echo
    for entry in "${PER_FILE[@]}"; do
        IFS=: read -r n w r <<<"$entry"
        awk -v n="$n" -v w="$w" -v r="$r" 'BEGIN {
            line = sprintf("- N=%d: %.3f ms wall per template", n, 1000 * w / n)
            if (n == 1000) line = line sprintf("; wall target (< 1 s): %s", (w < 1.0 ? "met" : "MISSED"))
            line = line sprintf("; memory target (< 200 MB): %s", (r / 1024 < 200 ? "met" : "MISSED"))
            print line }'
    done
} | tee "$OUT/results.md"
log "written to ${OUT#"$ROOT"/}/results.md"
