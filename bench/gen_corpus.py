#!/usr/bin/env python3
"""Generate a synthetic but realistic corpus of AWS SAM / CloudFormation templates.

Usage:
    python3 bench/gen_corpus.py --count N --out DIR [--seed S]
                                [--functions F] [--json-every K]
                                [--format mixed|yaml|json] [--quiet]

Writes DIR/app-00001/template.yaml, DIR/app-00002/template.yaml, ... Every
K-th template (default every 10th: app-00010, app-00020, ...) is written as
CloudFormation JSON (DIR/app-000K0/template.json) with long-form ``Fn::``
intrinsics instead, so that both loaders are exercised.

Each template is built from its own random stream seeded with (seed, index),
so the output is deterministic for a given seed and template ``i`` is the same
whatever ``--count`` is (corpus-100 is a prefix of corpus-1000).

Python 3.11 standard library only: the YAML is produced by a small emitter
below (short-form tags such as ``!Ref``, ``!GetAtt``, ``!Sub``, ``!If``,
``!FindInMap`` included), the JSON by the json module.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time

# --------------------------------------------------------------------------
# Template model: plain dicts / lists / scalars, plus two marker types.
# --------------------------------------------------------------------------


class Fn:
    """A CloudFormation intrinsic function: !Name arg  /  {"Fn::Name": arg}."""

    __slots__ = ("name", "arg")

    def __init__(self, name: str, arg):
        self.name = name
        self.arg = arg


class Comment:
    """A dict key that renders as a '# text' line in YAML and is dropped in JSON."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def Ref(x):
    return Fn("Ref", x)


def GetAtt(x):
    return Fn("GetAtt", x)


def Sub(x):
    return Fn("Sub", x)


def If(cond, a, b):
    return Fn("If", [cond, a, b])


def FindInMap(m, k1, k2):
    return Fn("FindInMap", [m, k1, k2])


NO_VALUE = Ref("AWS::NoValue")


# --------------------------------------------------------------------------
# JSON (long form) conversion
# --------------------------------------------------------------------------


def to_json_obj(node):
    if isinstance(node, dict):
        return {k: to_json_obj(v) for k, v in node.items() if not isinstance(k, Comment)}
    if isinstance(node, list):
        return [to_json_obj(v) for v in node]
    if isinstance(node, Fn):
        if node.name == "Ref":
            return {"Ref": node.arg}
        if node.name == "Condition":
            return {"Condition": node.arg}
        if node.name == "GetAtt" and isinstance(node.arg, str):
            res, attr = node.arg.split(".", 1)
            return {"Fn::GetAtt": [res, attr]}
        return {"Fn::" + node.name: to_json_obj(node.arg)}
    return node


# --------------------------------------------------------------------------
# YAML emitter (block style, flow style only for short intrinsic arguments)
# --------------------------------------------------------------------------

_PLAIN_BLOCK = re.compile(r"[A-Za-z_/][A-Za-z0-9_./\-:@+=*]*\Z")
_PLAIN_FLOW = _PLAIN_BLOCK  # YAML 1.2 (and PyYAML) allow ":x" inside flow plain scalars
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _scalar(v, flow: bool = False, dq: bool = False) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v)
    if dq or "\n" in s:
        return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar
    pat = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if pat.match(s) and s.lower() not in _RESERVED and not s.endswith(":"):
        return s
    return "'" + s.replace("'", "''") + "'"


def _key(k) -> str:
    if _PLAIN_KEY.match(k) and k.lower() not in _RESERVED:
        return k
    return "'" + k.replace("'", "''") + "'"


def _inline(v, flow: bool = False):
    """Return an inline rendering of v, or None if it needs block style."""
    if isinstance(v, Fn):
        a = v.arg
        if isinstance(a, list):
            if len(a) > 4:
                return None
            parts = []
            for x in a:
                r = _inline(x, flow=True)
                if r is None:
                    return None
                parts.append(r)
            return "!%s [%s]" % (v.name, ", ".join(parts))
        if isinstance(a, dict):
            return None
        if isinstance(a, Fn):
            inner = _inline(a, flow)
            return None if inner is None or flow else "!%s %s" % (v.name, inner)
        return "!%s %s" % (v.name, _scalar(a, flow=flow, dq=(v.name == "Sub")))
    if isinstance(v, dict):
        return "{}" if not v else None
    if isinstance(v, list):
        if not v:
            return "[]"
        if flow:
            parts = [_inline(x, flow=True) for x in v]
            if any(p is None for p in parts):
                return None
            return "[" + ", ".join(parts) + "]"
        return None
    if isinstance(v, str) and "\n" in v and not flow:
        return None  # block literal
    return _scalar(v, flow=flow)


def _emit_block_literal(s: str, indent: int, out: list) -> str:
    pad = " " * indent
    header = "|" if s.endswith("\n") else "|-"
    for line in s.rstrip("\n").split("\n"):
        out.append(pad + line if line else "")
    return header


def _emit_value_after_key(prefix: str, v, indent: int, out: list):
    """prefix is e.g. '  Key:' or '  - Key:'; emits v nested at indent."""
    r = _inline(v)
    if r is not None:
        out.append(prefix + " " + r)
        return
    if isinstance(v, str):
        pos = len(out)
        out.append(None)
        header = _emit_block_literal(v, indent, out)
        out[pos] = prefix + " " + header
        return
    if isinstance(v, Fn):
        out.append(prefix + " !" + v.name)
        if isinstance(v.arg, list):
            _emit_list(v.arg, indent, out)
        else:
            _emit_dict(v.arg, indent, out)
        return
    out.append(prefix)
    if isinstance(v, dict):
        _emit_dict(v, indent, out)
    else:
        _emit_list(v, indent, out)


def _emit_dict(d: dict, indent: int, out: list):
    pad = " " * indent
    for k, v in d.items():
        if isinstance(k, Comment):
            out.append(pad + "# " + k.text)
            continue
        _emit_value_after_key(pad + _key(k) + ":", v, indent + 2, out)


def _emit_list(lst: list, indent: int, out: list):
    pad = " " * indent
    for item in lst:
        r = _inline(item)
        if r is not None:
            out.append(pad + "- " + r)
        elif isinstance(item, dict):
            start = len(out)
            _emit_dict(item, indent + 2, out)
            # put the first key on the dash line
            first = out[start]
            out[start] = pad + "- " + first[indent + 2:]
        elif isinstance(item, Fn):
            out.append(pad + "- !" + item.name)
            if isinstance(item.arg, list):
                _emit_list(item.arg, indent + 2, out)
            else:
                _emit_dict(item.arg, indent + 2, out)
        elif isinstance(item, str):
            pos = len(out)
            out.append(None)
            header = _emit_block_literal(item, indent + 2, out)
            out[pos] = pad + "- " + header
        else:
            out.append(pad + "-")
            _emit_list(item, indent + 2, out)


def to_yaml(doc: dict) -> str:
    out: list = []
    top_level = list(doc.items())
    for i, (k, v) in enumerate(top_level):
        if isinstance(k, Comment):
            out.append("# " + k.text)
            continue
        if i > 0 and isinstance(v, dict) and not isinstance(top_level[i - 1][0], Comment):
            out.append("")
        _emit_value_after_key(_key(k) + ":", v, 2, out)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

DOMAINS = [
    "orders", "billing", "inventory", "payments", "shipping", "catalog", "users",
    "notifications", "analytics", "search", "media", "reports", "auth", "loyalty",
    "pricing", "reviews", "subscriptions", "fulfillment", "returns", "ledger",
    "telemetry", "documents", "scheduling", "messaging", "audit", "onboarding",
]
TEAMS = ["platform", "checkout", "growth", "data", "core", "mobile", "risk", "ops"]
VERBS = [
    "Create", "Get", "List", "Update", "Delete", "Process", "Sync", "Notify",
    "Export", "Import", "Resize", "Validate", "Archive", "Reconcile", "Enrich",
    "Publish", "Aggregate", "Refresh", "Cleanup", "Dispatch", "Index", "Audit",
]
NOUNS = [
    "Order", "Invoice", "Item", "Customer", "Payment", "Shipment", "Report", "Image",
    "Event", "Record", "Account", "Session", "Token", "Webhook", "Batch", "Snapshot",
    "Receipt", "Refund", "Profile", "Message", "Metric", "Document", "Job", "Coupon",
]
CURRENT_RUNTIMES = ["python3.12", "python3.11", "python3.13", "nodejs20.x", "nodejs22.x", "nodejs18.x"]
DEPRECATED_RUNTIMES = ["python3.8", "nodejs16.x", "python3.7", "nodejs14.x", "go1.x", "ruby2.7", "dotnet6"]
OTHER_RUNTIMES = ["java21", "provided.al2023", "java17", "ruby3.3"]
MANAGED_POLICIES = [
    "AWSLambdaBasicExecutionRole", "AWSXRayDaemonWriteAccess", "AWSLambdaVPCAccessExecutionRole",
    "AmazonS3ReadOnlyAccess", "CloudWatchLambdaInsightsExecutionRolePolicy",
    "AmazonDynamoDBFullAccess", "AmazonSQSFullAccess", "AdministratorAccess",
]
LOG_RETENTIONS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 180, 365, 400, 545, 731, 1827, 3653]
SCHEDULES = [
    "rate(1 minute)", "rate(5 minutes)", "rate(15 minutes)", "rate(1 hour)", "rate(12 hours)",
    "cron(0 12 * * ? *)", "cron(15 3 * * ? *)", "cron(0/10 * ? * MON-FRI *)", "rate(1 day)",
]
HTTP_METHODS = ["get", "post", "put", "delete", "patch", "any"]
S3_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "s3:GetObjectTagging"]
DDB_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
               "dynamodb:BatchWriteItem", "dynamodb:Scan", "dynamodb:DeleteItem"]
MISC_ACTIONS = ["ssm:GetParameter", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue",
                "kms:Decrypt", "events:PutEvents", "states:StartExecution", "sns:Publish",
                "sqs:SendMessage", "xray:PutTraceSegments", "cloudwatch:PutMetricData"]
WILDCARD_ACTIONS = ["*", "s3:*", "dynamodb:*", "iam:*", "lambda:*", "sqs:*", "iam:PassRole"]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _kebab(name: str) -> str:
    return _snake(name).replace("_", "-")


# --------------------------------------------------------------------------
# Template builder
# --------------------------------------------------------------------------


class Builder:
    def __init__(self, rng: random.Random, index: int, n_functions: int):
        self.rng = rng
        self.index = index
        self.n_functions = n_functions
        self.domain = rng.choice(DOMAINS)
        self.team = rng.choice(TEAMS)
        self.svc = "%s-%05d" % (self.domain, index)
        self.resources: dict = {}
        self.used_ids: set = set()
        self.api_paths: set = set()
        self.has_http_api = False
        self.s3_event_used = False
        self.outputs: dict = {}

    # ---- helpers -------------------------------------------------------
    def uid(self, base: str) -> str:
        name, n = base, 2
        while name in self.used_ids:
            name = "%s%d" % (base, n)
            n += 1
        self.used_ids.add(name)
        return name

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def runtime(self) -> str:
        r = self.rng.random()
        if r < 0.15:
            return self.rng.choice(DEPRECATED_RUNTIMES)
        if r < 0.22:
            return self.rng.choice(OTHER_RUNTIMES)
        return self.rng.choice(CURRENT_RUNTIMES)

    @staticmethod
    def handler_for(runtime: str, snake: str) -> str:
        if runtime.startswith("python"):
            return "%s.lambda_handler" % snake
        if runtime.startswith("nodejs"):
            return "src/%s.handler" % snake
        if runtime.startswith("java"):
            return "com.example.%s.Handler::handleRequest" % snake.replace("_", "")
        if runtime.startswith("dotnet"):
            return "App::App.Function::FunctionHandler"
        if runtime.startswith("ruby"):
            return "app.handler"
        return "bootstrap"

    def env_vars(self, fn_snake: str) -> dict:
        rng = self.rng
        env: dict = {}
        if self.chance(0.45):
            env["TABLE_NAME"] = Ref("Table")
        if self.chance(0.2):
            env["QUEUE_URL"] = Ref("WorkQueue")
        if self.chance(0.15):
            env["TOPIC_ARN"] = Ref("EventsTopic")
        if self.chance(0.2):
            env["BUCKET_NAME"] = Ref("UploadsBucket")
        if self.chance(0.2):
            env["LOG_LEVEL"] = If("IsProd", "INFO", "DEBUG")
        if self.chance(0.15):
            env["POWERTOOLS_SERVICE_NAME"] = "%s-%s" % (self.domain, fn_snake.replace("_", "-"))
        if self.chance(0.1):
            env["MAX_BATCH_SIZE"] = str(rng.choice([10, 25, 50, 100, 500]))
        if self.chance(0.1):
            env["CONFIG_PARAM"] = Sub("/${Stage}/%s/%s/config" % (self.domain, fn_snake))
        if self.chance(0.04):
            # hard-coded secret-looking values (what an auditor should flag)
            key = rng.choice(["DB_PASSWORD", "API_KEY", "STRIPE_SECRET_KEY", "AUTH_TOKEN"])
            env[key] = "%s%08x%06d" % (rng.choice(["sk_live_", "pw-", "tok_", "AKIA"]),
                                       rng.getrandbits(32), self.index)
        if self.chance(0.1):
            env["UPSTREAM_URL"] = "https://api.%s.example.com/v%d" % (self.domain, rng.randint(1, 3))
        return env

    def inline_statement(self, wildcard: bool = False) -> dict:
        rng = self.rng
        if wildcard:
            action = rng.choice(WILDCARD_ACTIONS)
            return {"Effect": "Allow", "Action": action, "Resource": "*"}
        kind = rng.randrange(4)
        if kind == 0:
            return {
                "Effect": "Allow",
                "Action": sorted(rng.sample(S3_ACTIONS, rng.randint(1, 3))),
                "Resource": Sub("${UploadsBucket.Arn}/%s/*" % rng.choice(["incoming", "processed", "exports", "tmp"])),
            }
        if kind == 1:
            return {
                "Effect": "Allow",
                "Action": sorted(rng.sample(DDB_ACTIONS, rng.randint(1, 4))),
                "Resource": [GetAtt("Table.Arn"), Sub("${Table.Arn}/index/*")],
            }
        if kind == 2:
            act = rng.choice(MISC_ACTIONS)
            svc = act.split(":")[0]
            suffix = {
                "ssm": "parameter/${Stage}/%s/*" % self.domain,
                "secretsmanager": "secret:%s-*" % self.domain,
                "kms": "key/${KmsKeyId}",
                "events": "event-bus/default",
                "states": "stateMachine:%s-*" % self.svc,
                "sns": "${EventsTopic.TopicName}",
                "sqs": "${WorkQueue.QueueName}",
            }.get(svc)
            res = "*" if suffix is None else Sub(
                "arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:%s" % (svc, suffix))
            st = {"Effect": "Allow", "Action": act, "Resource": res}
            if act == "cloudwatch:PutMetricData":
                st["Condition"] = {"StringEquals": {"cloudwatch:namespace": "%s/%s" % (self.team, self.domain)}}
            return st
        return {
            "Sid": "Deny%sOutsideOrg" % self.domain.capitalize(),
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:ResourceOrgID": "o-%010x" % (self.index * 7919)}},
        }

    # ---- SAM function --------------------------------------------------
    def events(self, fn_id: str, verb: str, noun: str) -> dict:
        rng = self.rng
        events: dict = {}
        n = rng.choice([0, 0, 1, 1, 1, 2])
        kinds = ["Api", "Api", "HttpApi", "S3", "SQS", "SNS", "Schedule", "DynamoDB"]
        for _ in range(n):
            kind = rng.choice(kinds)
            if kind in ("Api", "HttpApi"):
                base = "/%ss" % _kebab(noun)
                path = base if verb in ("List", "Create") else base + "/{id}"
                if verb not in ("List", "Create", "Get", "Update", "Delete"):
                    path = "%s/{id}/%s" % (base, _kebab(verb))
                method = {"List": "get", "Get": "get", "Create": "post", "Update": "put",
                          "Delete": "delete"}.get(verb, rng.choice(HTTP_METHODS))
                if (kind, path, method) in self.api_paths:
                    continue
                self.api_paths.add((kind, path, method))
                if kind == "Api":
                    props = {"RestApiId": Ref("RestApi"), "Path": path, "Method": method}
                    if self.chance(0.3):
                        props["Auth"] = {"Authorizer": "NONE", "ApiKeyRequired": self.chance(0.5)}
                    events[self.uid(fn_id + "ApiEvent")[len(fn_id):]] = {"Type": "Api", "Properties": props}
                else:
                    self.has_http_api = True
                    props = {"Path": path, "Method": method.upper() if method != "any" else "ANY"}
                    if self.chance(0.3):
                        props["TimeoutInMillis"] = rng.choice([5000, 15000, 29000])
                    events[self.uid(fn_id + "HttpEvent")[len(fn_id):]] = {"Type": "HttpApi", "Properties": props}
            elif kind == "S3":
                if self.s3_event_used:
                    continue
                self.s3_event_used = True
                events["Upload"] = {"Type": "S3", "Properties": {
                    "Bucket": Ref("UploadsBucket"),
                    "Events": rng.choice(["s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectRemoved:*"]),
                    "Filter": {"S3Key": {"Rules": [
                        {"Name": "prefix", "Value": "%s/" % rng.choice(["uploads", "incoming", "raw"])},
                        {"Name": "suffix", "Value": rng.choice([".json", ".csv", ".jpg", ".png", ".parquet"])},
                    ]}},
                }}
            elif kind == "SQS":
                props = {"Queue": GetAtt("WorkQueue.Arn"), "BatchSize": rng.choice([1, 5, 10, 25, 100])}
                if self.chance(0.5):
                    props["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
                if self.chance(0.3):
                    props["MaximumBatchingWindowInSeconds"] = rng.choice([1, 5, 20, 60])
                events[self.uid(fn_id + "QueueEvent")[len(fn_id):]] = {"Type": "SQS", "Properties": props}
            elif kind == "SNS":
                props = {"Topic": Ref("EventsTopic")}
                if self.chance(0.5):
                    props["FilterPolicy"] = {"eventType": sorted(rng.sample(
                        ["%s.created" % noun.lower(), "%s.updated" % noun.lower(),
                         "%s.deleted" % noun.lower(), "%s.archived" % noun.lower()], 2))}
                events[self.uid(fn_id + "TopicEvent")[len(fn_id):]] = {"Type": "SNS", "Properties": props}
            elif kind == "Schedule":
                props = {"Schedule": rng.choice(SCHEDULES), "Enabled": If("IsProd", True, False)
                         if self.chance(0.4) else True}
                if self.chance(0.4):
                    props["Description"] = "%s %s on a schedule" % (verb, noun.lower())
                if self.chance(0.3):
                    props["Input"] = json.dumps({"source": "schedule", "task": _snake(verb + noun)})
                events[self.uid(fn_id + "Timer")[len(fn_id):]] = {"Type": "Schedule", "Properties": props}
            else:
                props = {"Stream": GetAtt("Table.StreamArn"),
                         "StartingPosition": rng.choice(["TRIM_HORIZON", "LATEST"]),
                         "BatchSize": rng.choice([10, 100, 500])}
                if self.chance(0.5):
                    props["MaximumRetryAttempts"] = rng.choice([0, 2, 5, 10])
                    props["BisectBatchOnFunctionError"] = True
                if self.chance(0.3):
                    props["DestinationConfig"] = {"OnFailure": {"Destination": GetAtt("DeadLetterQueue.Arn")}}
                events[self.uid(fn_id + "StreamEvent")[len(fn_id):]] = {"Type": "DynamoDB", "Properties": props}
        return events

    def sam_policies(self) -> list:
        rng = self.rng
        pols: list = []
        if self.chance(0.7):
            pols.append("AWSLambdaBasicExecutionRole")
        if self.chance(0.25):
            pols.append(rng.choice(MANAGED_POLICIES[1:]))
        if self.chance(0.1):
            pols.append("arn:aws:iam::aws:policy/%s" % rng.choice(
                ["AmazonS3FullAccess", "ReadOnlyAccess", "AWSLambda_FullAccess", "CloudWatchLogsFullAccess"]))
        templates = [
            {"S3ReadPolicy": {"BucketName": Ref("UploadsBucket")}},
            {"S3CrudPolicy": {"BucketName": Ref("UploadsBucket")}},
            {"DynamoDBCrudPolicy": {"TableName": Ref("Table")}},
            {"DynamoDBReadPolicy": {"TableName": Ref("Table")}},
            {"SQSPollerPolicy": {"QueueName": GetAtt("WorkQueue.QueueName")}},
            {"SQSSendMessagePolicy": {"QueueName": GetAtt("WorkQueue.QueueName")}},
            {"SNSPublishMessagePolicy": {"TopicName": GetAtt("EventsTopic.TopicName")}},
            {"SSMParameterReadPolicy": {"ParameterName": Sub("${Stage}/%s/*" % self.domain)}},
            {"KMSDecryptPolicy": {"KeyId": Ref("KmsKeyId")}},
            {"DynamoDBStreamReadPolicy": {"TableName": Ref("Table"), "StreamName": "*"}},
            {"LambdaInvokePolicy": {"FunctionName": Sub("%s-*" % self.svc)}},
            {"VPCAccessPolicy": {}},
        ]
        for t in rng.sample(templates, rng.choice([0, 1, 1, 1, 2])):
            pols.append(t)
        if self.chance(0.25):
            stmts = [self.inline_statement(wildcard=self.chance(0.2)) for _ in range(rng.randint(1, 2))]
            if self.chance(0.5):
                pols.append({"Version": "2012-10-17", "Statement": stmts})
            else:
                pols.append({"Statement": stmts})
        if not pols:
            pols.append("AWSLambdaBasicExecutionRole")
        return pols

    def sam_function(self, i: int):
        rng = self.rng
        verb, noun = rng.choice(VERBS), rng.choice(NOUNS)
        fn_id = self.uid("%s%sFunction" % (verb, noun))
        snake = _snake(verb + noun)
        props: dict = {}
        if self.chance(0.45):
            # a bare-bones function, as many real templates have
            props["CodeUri"] = "src/%s/" % snake
            props["Handler"] = self.handler_for(self.global_runtime, snake)
            props["Policies"] = [rng.choice([
                "AWSLambdaBasicExecutionRole",
                {"DynamoDBReadPolicy": {"TableName": Ref("Table")}},
                {"SQSPollerPolicy": {"QueueName": GetAtt("WorkQueue.QueueName")}},
                {"S3ReadPolicy": {"BucketName": Ref("UploadsBucket")}},
            ])]
            ev = self.events(fn_id, verb, noun)
            if ev:
                props["Events"] = ev
            self.resources[fn_id] = {"Type": "AWS::Serverless::Function", "Properties": props}
            return
        if self.chance(0.3):
            props["FunctionName"] = Sub("${AWS::StackName}-%s" % _kebab(verb + noun))
        if self.chance(0.2):
            props["Description"] = "%s %s records for the %s service (%s team)" % (
                verb, noun.lower(), self.domain, self.team)
        props["CodeUri"] = "src/%s/" % snake
        rt = None
        if self.chance(0.35):
            rt = self.runtime()
            props["Runtime"] = rt
        props["Handler"] = self.handler_for(rt or self.global_runtime, snake)
        if self.chance(0.4):
            props["MemorySize"] = rng.choice([128, 256, 512, 1024, 1769, 2048, 3008, 10240])
        elif self.chance(0.2):
            props["MemorySize"] = FindInMap("StageConfig", Ref("Stage"), "MemorySize")
        if self.chance(0.3):
            props["Timeout"] = rng.choice([3, 10, 30, 60, 300, 900])
        if self.chance(0.3):
            props["Architectures"] = [rng.choice(["arm64", "x86_64"])]
        if self.chance(0.2):
            props["Tracing"] = rng.choice(["Active", "PassThrough"])
        env = self.env_vars(snake)
        if env:
            props["Environment"] = {"Variables": env}
        if self.chance(0.12):
            props["Role"] = GetAtt("SharedExecutionRole.Arn")
        else:
            props["Policies"] = self.sam_policies()
        if self.chance(0.25):
            props["AutoPublishAlias"] = rng.choice(["live", "current", "prod"])
            if self.chance(0.4):
                props["DeploymentPreference"] = {
                    "Type": rng.choice(["Canary10Percent5Minutes", "Linear10PercentEvery1Minute", "AllAtOnce"]),
                    "Alarms": [Ref("ErrorsAlarm")] if self.chance(0.3) else [],
                }
        if self.chance(0.2):
            props["ReservedConcurrentExecutions"] = rng.choice(
                [1, 5, 10, 50, 100, If("IsProd", 100, 5)])
        if self.chance(0.15):
            props["FunctionUrlConfig"] = {"AuthType": rng.choice(["NONE", "NONE", "AWS_IAM"])}
            if self.chance(0.6):
                props["FunctionUrlConfig"]["Cors"] = {
                    "AllowOrigins": [rng.choice(["*", "https://app.%s.example.com" % self.domain])],
                    "AllowMethods": sorted(rng.sample(["GET", "POST", "PUT", "DELETE"], 2)),
                    "MaxAge": 300,
                }
        if self.chance(0.15):
            props["DeadLetterQueue"] = {"Type": "SQS", "TargetArn": GetAtt("DeadLetterQueue.Arn")}
        if self.chance(0.1):
            props["VpcConfig"] = {
                "SecurityGroupIds": [Ref("LambdaSecurityGroupId")],
                "SubnetIds": Ref("SubnetIds"),
            }
        if self.chance(0.12):
            props["Layers"] = [Sub("arn:aws:lambda:${AWS::Region}:017000801446:layer:AWSLambdaPowertoolsPythonV2:%d"
                                   % rng.randint(40, 79))]
        if self.chance(0.1):
            props["EphemeralStorage"] = {"Size": rng.choice([1024, 2048, 10240])}
        ev = self.events(fn_id, verb, noun)
        if ev:
            props["Events"] = ev
        res: dict = {"Type": "AWS::Serverless::Function"}
        if self.chance(0.08):
            res["Condition"] = "IsProd"
        res["Properties"] = props
        if self.chance(0.1):
            res["Metadata"] = {"BuildMethod": rng.choice(["esbuild", "makefile", "python3.12"])}
        self.resources[fn_id] = res
        if self.chance(0.15):
            lg = self.uid(fn_id.replace("Function", "LogGroup"))
            self.resources[lg] = self.log_group(fn_id)
        if self.chance(0.12):
            self.outputs[self.uid(fn_id + "Arn")] = {
                "Description": "%s function ARN" % fn_id,
                "Value": GetAtt(fn_id + ".Arn"),
            }

    def log_group(self, fn_id: str) -> dict:
        props: dict = {"LogGroupName": Sub("/aws/lambda/${%s}" % fn_id)}
        r = self.rng.random()
        if r < 0.45:
            props["RetentionInDays"] = self.rng.choice(LOG_RETENTIONS)
        elif r < 0.6:
            props["RetentionInDays"] = FindInMap("StageConfig", Ref("Stage"), "LogRetention")
        elif r < 0.7:
            props["RetentionInDays"] = If("IsProd", 365, 14)
        if self.chance(0.15):
            props["KmsKeyId"] = Sub("arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${KmsKeyId}")
        res = {"Type": "AWS::Logs::LogGroup"}
        if self.chance(0.3):
            res["DeletionPolicy"] = "Retain"
            res["UpdateReplacePolicy"] = "Retain"
        res["Properties"] = props
        return res

    # ---- plain Lambda + IAM role + permission + log group -------------
    def plain_function(self, i: int):
        rng = self.rng
        verb, noun = rng.choice(VERBS), rng.choice(NOUNS)
        fn_id = self.uid("%s%sLambda" % (verb, noun))
        role_id = self.uid(fn_id.replace("Lambda", "Role"))
        snake = _snake(verb + noun)
        rt = self.runtime()

        # IAM role
        wildcard = self.chance(0.15)
        stmts = []
        if self.chance(0.5):
            stmts.append({
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/%s-%s:*"
                                % (self.svc, _kebab(verb + noun)))})
        for _ in range(rng.choice([0, 1, 1]) if stmts else rng.choice([1, 1, 2])):
            stmts.append(self.inline_statement())
        if wildcard:
            stmts.append({"Effect": "Allow", "Action": "*", "Resource": "*"})
        elif self.chance(0.1):
            stmts.append(self.inline_statement(wildcard=True))
        compact = self.chance(0.85)
        role_props: dict = {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com" if compact else ["lambda.amazonaws.com"]},
                    "Action": "sts:AssumeRole" if compact else ["sts:AssumeRole"],
                }],
            },
        }
        if self.chance(0.2):
            role_props["RoleName"] = Sub("${AWS::StackName}-%s-role" % _kebab(verb + noun))
        if self.chance(0.4):
            role_props["ManagedPolicyArns"] = [
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
            if self.chance(0.3):
                role_props["ManagedPolicyArns"].append("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess")
        role_props["Policies"] = [{
            "PolicyName": "%s-%s-inline" % (self.domain, _kebab(verb + noun)),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": stmts},
        }]
        if self.chance(0.15):
            role_props["PermissionsBoundary"] = Sub(
                "arn:aws:iam::${AWS::AccountId}:policy/%s-boundary" % self.team)
        self.resources[role_id] = {"Type": "AWS::IAM::Role", "Properties": role_props}

        # Function
        props: dict = {
            "FunctionName": Sub("%s-%s-${Stage}" % (self.svc, _kebab(verb + noun))),
            "Runtime": rt,
            "Handler": self.handler_for(rt, snake) if not rt.startswith("python") else "index.handler",
            "Role": GetAtt(role_id + ".Arn"),
        }
        if rt.startswith(("python", "nodejs")) and self.chance(0.2):
            props["Handler"] = "index.handler"
            props["Code"] = {"ZipFile": self.zipfile(rt, verb, noun)}
        else:
            props["Code"] = {
                "S3Bucket": Sub("artifacts-${AWS::AccountId}-${AWS::Region}"),
                "S3Key": "%s/%s/%s-%d.zip" % (self.team, self.svc, snake, rng.randint(100, 999)),
            }
        props["MemorySize"] = rng.choice([128, 256, 512, 1024])
        props["Timeout"] = rng.choice([3, 15, 30, 60, 120, 900])
        if self.chance(0.35):
            props["TracingConfig"] = {"Mode": rng.choice(["Active", "PassThrough"])}
        env = self.env_vars(snake)
        if env:
            props["Environment"] = {"Variables": env}
        if self.chance(0.2):
            props["ReservedConcurrentExecutions"] = rng.choice([0, 2, 10, 25, 200])
        if self.chance(0.15):
            props["KmsKeyArn"] = Sub("arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${KmsKeyId}")
        if self.chance(0.15):
            props["DeadLetterConfig"] = {"TargetArn": GetAtt("DeadLetterQueue.Arn")}
        lg_id = self.uid(fn_id + "LogGroup")
        if self.chance(0.3):
            props["LoggingConfig"] = {"LogGroup": Ref(lg_id), "LogFormat": "JSON"}
        if self.chance(0.3):
            props["Tags"] = [{"Key": "team", "Value": self.team},
                             {"Key": "service", "Value": self.svc}]
        self.resources[fn_id] = {
            "Type": "AWS::Lambda::Function",
            "DependsOn": [role_id] if self.chance(0.3) else role_id,
            "Properties": props,
        }

        # Permission(s)
        r = rng.random()
        perm: dict = {"Action": "lambda:InvokeFunction",
                      "FunctionName": Ref(fn_id) if self.chance(0.5) else GetAtt(fn_id + ".Arn")}
        if r < 0.2:
            perm["Principal"] = "*"
        elif r < 0.45:
            perm["Principal"] = "s3.amazonaws.com"
            perm["SourceArn"] = GetAtt("UploadsBucket.Arn")
            if self.chance(0.6):
                perm["SourceAccount"] = Ref("AWS::AccountId")
        elif r < 0.65:
            perm["Principal"] = "apigateway.amazonaws.com"
            perm["SourceArn"] = Sub("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${RestApi}/*/*/*")
        elif r < 0.8:
            perm["Principal"] = "events.amazonaws.com"
            if self.chance(0.7):
                perm["SourceArn"] = Sub("arn:aws:events:${AWS::Region}:${AWS::AccountId}:rule/%s-*" % self.svc)
        elif r < 0.9:
            perm["Principal"] = "sns.amazonaws.com"
            perm["SourceArn"] = Ref("EventsTopic")
        else:
            perm["Principal"] = Sub("arn:aws:iam::%012d:root" % (100000000000 + self.index * 37 + i))
        if self.chance(0.1):
            perm["FunctionUrlAuthType"] = "NONE"
            perm["Action"] = "lambda:InvokeFunctionUrl"
        self.resources[self.uid(fn_id + "Permission")] = {"Type": "AWS::Lambda::Permission", "Properties": perm}

        # Log group
        self.resources[lg_id] = self.log_group(fn_id)

    def zipfile(self, rt: str, verb: str, noun: str) -> str:
        if rt.startswith("python"):
            return (
                "import json\n"
                "import os\n"
                "\n"
                "TABLE = os.environ.get('TABLE_NAME', '')\n"
                "\n"
                "\n"
                "def handler(event, context):\n"
                "    # %s %s (%s)\n"
                "    print(json.dumps({'table': TABLE, 'records': len(event.get('Records', []))}))\n"
                "    return {'statusCode': 200, 'body': json.dumps({'ok': True})}\n"
            ) % (verb.lower(), noun.lower(), self.svc)
        return (
            "exports.handler = async (event) => {\n"
            "  // %s %s (%s)\n"
            "  console.log(JSON.stringify({ records: (event.Records || []).length }));\n"
            "  return { statusCode: 200, body: JSON.stringify({ ok: true }) };\n"
            "};\n"
        ) % (verb.lower(), noun.lower(), self.svc)

    # ---- shared infrastructure ----------------------------------------
    def infra(self):
        rng = self.rng
        idx = self.index
        self.resources[Comment("---- shared infrastructure ----")] = None
        api_props: dict = {
            "Name": Sub("${AWS::StackName}-api"),
            "StageName": Ref("Stage"),
            "TracingEnabled": self.chance(0.6),
            "EndpointConfiguration": {"Type": rng.choice(["REGIONAL", "EDGE", "PRIVATE"])},
            "MethodSettings": [{
                "ResourcePath": "/*",
                "HttpMethod": "*",
                "LoggingLevel": rng.choice(["INFO", "ERROR", "OFF"]),
                "DataTraceEnabled": self.chance(0.3),
                "MetricsEnabled": self.chance(0.7),
                "ThrottlingBurstLimit": rng.choice([50, 100, 500, 5000]),
                "ThrottlingRateLimit": rng.choice([10, 50, 100, 1000]),
            }],
        }
        if self.chance(0.5):
            api_props["AccessLogSetting"] = {
                "DestinationArn": GetAtt("ApiAccessLogGroup.Arn"),
                "Format": '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
                          '"status":"$context.status","path":"$context.path"}',
            }
        if self.chance(0.4):
            api_props["Cors"] = {"AllowOrigin": "'*'" if self.chance(0.5) else
                                 "'https://app.%s.example.com'" % self.domain,
                                 "AllowMethods": "'GET,POST,PUT,DELETE,OPTIONS'",
                                 "AllowHeaders": "'Content-Type,Authorization'"}
        if self.chance(0.4):
            api_props["Auth"] = {"ApiKeyRequired": self.chance(0.5),
                                 "UsagePlan": {"CreateUsagePlan": "PER_API",
                                               "Quota": {"Limit": 10000 + idx, "Period": "DAY"}}}
        if self.chance(0.3):
            api_props["CacheClusterEnabled"] = If("IsProd", True, False)
        self.resources["RestApi"] = {"Type": "AWS::Serverless::Api", "Properties": api_props}
        self.resources["ApiAccessLogGroup"] = {"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": Sub("/aws/apigateway/${AWS::StackName}-access"),
            "RetentionInDays": FindInMap("StageConfig", Ref("Stage"), "LogRetention"),
        }}

        bucket: dict = {"BucketName": Sub("${AWS::StackName}-uploads-${AWS::AccountId}")}
        if self.chance(0.8):
            bucket["BucketEncryption"] = {"ServerSideEncryptionConfiguration": [{
                "ServerSideEncryptionByDefault": {"SSEAlgorithm": rng.choice(["AES256", "aws:kms"])}}]}
        if self.chance(0.75):
            bucket["PublicAccessBlockConfiguration"] = {
                "BlockPublicAcls": True, "BlockPublicPolicy": True,
                "IgnorePublicAcls": True, "RestrictPublicBuckets": self.chance(0.9)}
        bucket["VersioningConfiguration"] = {"Status": If("IsProd", "Enabled", "Suspended")}
        if self.chance(0.5):
            bucket["LifecycleConfiguration"] = {"Rules": [{
                "Id": "expire-tmp", "Status": "Enabled", "Prefix": "tmp/",
                "ExpirationInDays": rng.choice([1, 7, 30])}]}
        self.resources["UploadsBucket"] = {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain",
                                           "Properties": bucket}

        table: dict = {
            "TableName": Sub("${AWS::StackName}-%s" % self.domain),
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "S"},
                                     {"AttributeName": "gsi1pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": If("IsProd", True, False)},
        }
        if self.chance(0.5):
            table["GlobalSecondaryIndexes"] = [{
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}]
        else:
            table["AttributeDefinitions"].pop()
        if self.chance(0.6):
            table["SSESpecification"] = {"SSEEnabled": True}
        self.resources["Table"] = {"Type": "AWS::DynamoDB::Table", "Properties": table}

        self.resources["DeadLetterQueue"] = {"Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": Sub("${AWS::StackName}-dlq"),
            "MessageRetentionPeriod": 1209600,
        }}
        q: dict = {
            "QueueName": Sub("${AWS::StackName}-work"),
            "VisibilityTimeout": rng.choice([60, 180, 360, 900]),
            "RedrivePolicy": {"deadLetterTargetArn": GetAtt("DeadLetterQueue.Arn"),
                              "maxReceiveCount": rng.choice([3, 5, 10])},
        }
        if self.chance(0.6):
            q["KmsMasterKeyId"] = "alias/aws/sqs"
        elif self.chance(0.5):
            q["SqsManagedSseEnabled"] = True
        self.resources["WorkQueue"] = {"Type": "AWS::SQS::Queue", "Properties": q}

        topic: dict = {"TopicName": Sub("${AWS::StackName}-events")}
        if self.chance(0.6):
            topic["KmsMasterKeyId"] = "alias/aws/sns"
        topic["Subscription"] = If("HasAlertEmail",
                                   [{"Endpoint": Ref("AlertEmail"), "Protocol": "email"}],
                                   NO_VALUE)
        self.resources["EventsTopic"] = {"Type": "AWS::SNS::Topic", "Properties": topic}

        self.resources["SharedExecutionRole"] = {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": [
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                If("IsProd", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", NO_VALUE)],
        }}
        self.resources["ErrorsAlarm"] = {"Type": "AWS::CloudWatch::Alarm", "Condition": "IsProd",
                                         "Properties": {
                                             "AlarmDescription": "Lambda errors in %s" % self.svc,
                                             "Namespace": "AWS/Lambda", "MetricName": "Errors",
                                             "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1,
                                             "Threshold": rng.choice([1, 5, 10]),
                                             "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                                             "AlarmActions": [Ref("EventsTopic")]}}

    # ---- whole template ------------------------------------------------
    def build(self) -> dict:
        rng = self.rng
        idx = self.index
        self.global_runtime = rng.choice(CURRENT_RUNTIMES + DEPRECATED_RUNTIMES[:2])
        doc: dict = {}
        doc[Comment("%s: %s service, owned by the %s team. Generated by bench/gen_corpus.py."
                    % (self.svc, self.domain, self.team))] = None
        doc["AWSTemplateFormatVersion"] = "2010-09-09"
        doc["Transform"] = "AWS::Serverless-2016-10-31"
        doc["Description"] = "%s - %s service (SAM), build %d" % (self.svc, self.domain, idx * 13 % 997)
        doc["Parameters"] = {
            "Stage": {"Type": "String", "Default": rng.choice(["dev", "staging", "prod"]),
                      "AllowedValues": ["dev", "staging", "prod"],
                      "Description": "Deployment stage"},
            "AlertEmail": {"Type": "String", "Description": "Where alarms go (empty for none)"},
            "KmsKeyId": {"Type": "String", "Default": "%08x-aaaa-bbbb-cccc-%012x" % (idx, idx * 104729)},
            "SubnetIds": {"Type": "List<AWS::EC2::Subnet::Id>", "Default": "subnet-%08x,subnet-%08x"
                          % (idx * 3, idx * 3 + 1)},
            "LambdaSecurityGroupId": {"Type": "AWS::EC2::SecurityGroup::Id", "Default": "sg-%08x" % idx},
        }
        doc["Mappings"] = {"StageConfig": {
            "dev": {"LogRetention": 7, "MemorySize": 256, "Concurrency": 5},
            "staging": {"LogRetention": 30, "MemorySize": 512, "Concurrency": 20},
            "prod": {"LogRetention": rng.choice([90, 365, 731]), "MemorySize": 1024, "Concurrency": 100},
        }}
        doc["Conditions"] = {
            "IsProd": Fn("Equals", [Ref("Stage"), "prod"]),
            "HasAlertEmail": Fn("Not", [Fn("Equals", [Ref("AlertEmail"), ""])]),
            "IsProdWithAlerts": Fn("And", [Fn("Condition", "IsProd"), Fn("Condition", "HasAlertEmail")]),
        }
        glob: dict = {
            "Runtime": self.global_runtime,
            "Timeout": rng.choice([3, 10, 15, 30, 60]),
            "MemorySize": FindInMap("StageConfig", Ref("Stage"), "MemorySize"),
            "Tracing": rng.choice(["Active", "Active", "PassThrough"]),
            "Environment": {"Variables": {
                "STAGE": Ref("Stage"),
                "SERVICE": self.svc,
                "POWERTOOLS_LOG_LEVEL": If("IsProd", "INFO", "DEBUG"),
            }},
        }
        if self.chance(0.4):
            glob["Architectures"] = ["arm64"]
        if self.chance(0.3):
            glob["Tags"] = {"team": self.team, "service": self.svc}
        globals_: dict = {"Function": glob}
        if self.chance(0.5):
            globals_["Api"] = {"OpenApiVersion": "3.0.1"}
        doc["Globals"] = globals_

        self.infra()
        self.resources[Comment("---- functions ----")] = None
        for i in range(self.n_functions):
            if rng.random() < 0.18:
                self.plain_function(i)
            else:
                self.sam_function(i)
        doc["Resources"] = self.resources

        outputs: dict = {
            "ApiUrl": {"Description": "REST API endpoint",
                       "Value": Sub("https://${RestApi}.execute-api.${AWS::Region}.amazonaws.com/${Stage}/")},
            "TableName": {"Value": Ref("Table"),
                          "Export": {"Name": Sub("${AWS::StackName}-TableName")}},
        }
        if self.has_http_api:
            outputs["HttpApiUrl"] = {"Value": Sub("https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com")}
        outputs.update(self.outputs)
        doc["Outputs"] = outputs
        return doc


def build_template(seed: int, index: int, functions: int) -> dict:
    rng = random.Random("sheepdog-bench:%d:%d" % (seed, index))
    n = max(1, functions + rng.randint(-3, 2)) if functions >= 5 else functions
    return Builder(rng, index, n).build()


def render(doc: dict, as_json: bool) -> str:
    if as_json:
        return json.dumps(to_json_obj(doc), indent=2) + "\n"
    return to_yaml(doc)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, required=True, help="number of templates to write")
    ap.add_argument("--out", required=True, help="output directory (created if missing)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--functions", type=int, default=20,
                    help="functions per template, jittered by -3..+2 when >= 5 (default 20)")
    ap.add_argument("--json-every", type=int, default=10,
                    help="every K-th template is CloudFormation JSON; 0 = never (default 10)")
    ap.add_argument("--format", choices=["mixed", "yaml", "json"], default="mixed",
                    help="mixed (default, see --json-every), or force all YAML / all JSON")
    ap.add_argument("--quiet", action="store_true", help="no summary on stderr")
    args = ap.parse_args(argv)
    if args.count < 0 or args.functions < 0 or args.json_every < 0:
        ap.error("--count, --functions and --json-every must be >= 0")

    t0 = time.perf_counter()
    os.makedirs(args.out, exist_ok=True)
    total = 0
    n_json = 0
    sizes = {False: [], True: []}
    for i in range(1, args.count + 1):
        if args.format == "mixed":
            as_json = args.json_every > 0 and i % args.json_every == 0
        else:
            as_json = args.format == "json"
        text = render(build_template(args.seed, i, args.functions), as_json)
        d = os.path.join(args.out, "app-%05d" % i)
        os.makedirs(d, exist_ok=True)
        name = "template.json" if as_json else "template.yaml"
        other = os.path.join(d, "template.yaml" if as_json else "template.json")
        if os.path.exists(other):  # a previous run with another --format
            os.remove(other)
        data = text.encode("utf-8")
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        total += len(data)
        sizes[as_json].append(len(data))
        n_json += as_json
    if not args.quiet:
        stats = []
        for label, sz in (("YAML", sizes[False]), ("JSON", sizes[True])):
            if sz:
                sz.sort()
                stats.append("%s min %.1f / median %.1f / max %.1f KB"
                             % (label, sz[0] / 1024, sz[len(sz) // 2] / 1024, sz[-1] / 1024))
        print("wrote %d templates (%d YAML, %d JSON) to %s in %.1f s: %.1f MB total%s"
              % (args.count, args.count - n_json, n_json, args.out,
                 time.perf_counter() - t0, total / 1e6,
                 "".join("; " + x for x in stats)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
