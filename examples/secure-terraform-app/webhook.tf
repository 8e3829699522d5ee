# A function written out without the module, triggered hourly by EventBridge, with its own
# least-privilege role and a dead-letter queue for the events it fails to process.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "webhook" {
  name               = "${local.prefix}-webhook"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

data "aws_iam_policy_document" "webhook" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.webhook.arn}:*"]
  }

  statement {
    sid       = "Traces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  statement {
    sid       = "DeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.webhook_dead_letters.arn]
  }

  statement {
    sid       = "DeadLettersKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.service.arn]
  }
}

resource "aws_iam_role_policy" "webhook" {
  name   = "webhook"
  role   = aws_iam_role.webhook.id
  policy = data.aws_iam_policy_document.webhook.json
}

resource "aws_sqs_queue" "webhook_dead_letters" {
  name                      = "${local.prefix}-webhook-dead-letters"
  kms_master_key_id         = aws_kms_key.service.arn
  message_retention_seconds = 1209600
}

resource "aws_cloudwatch_log_group" "webhook" {
  name              = "/aws/lambda/${local.prefix}-webhook"
  retention_in_days = 30
  kms_key_id        = aws_kms_key.service.arn
}

resource "aws_lambda_function" "webhook" {
  function_name                  = "${local.prefix}-webhook"
  runtime                        = var.runtime
  handler                        = "app.webhook"
  role                           = aws_iam_role.webhook.arn
  s3_bucket                      = local.signed_package.bucket
  s3_key                         = local.signed_package.key
  timeout                        = 10
  reserved_concurrent_executions = 5
  code_signing_config_arn        = aws_lambda_code_signing_config.orders.arn
  publish                        = true

  tracing_config {
    mode = "Active"
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.webhook_dead_letters.arn
  }

  depends_on = [aws_cloudwatch_log_group.webhook, aws_iam_role_policy.webhook]
}

# The schedule invokes the `live` alias; a new version gets a share of it until promoted.
resource "aws_lambda_alias" "webhook_live" {
  name             = "live"
  function_name    = aws_lambda_function.webhook.function_name
  function_version = var.live_versions["webhook"]

  routing_config {
    additional_version_weights = (
      aws_lambda_function.webhook.version == var.live_versions["webhook"]
      ? {}
      : { (aws_lambda_function.webhook.version) = var.canary_weight }
    )
  }
}

resource "aws_cloudwatch_event_rule" "webhook_schedule" {
  name                = "${local.prefix}-webhook"
  schedule_expression = "rate(1 hour)"
}

resource "aws_cloudwatch_event_target" "webhook" {
  rule      = aws_cloudwatch_event_rule.webhook_schedule.name
  target_id = "webhook"
  arn       = aws_lambda_alias.webhook_live.arn
}

resource "aws_lambda_permission" "webhook_schedule" {
  statement_id  = "AllowHourlySchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.webhook.function_name
  qualifier     = aws_lambda_alias.webhook_live.name
  principal     = "events.amazonaws.com" # only EventBridge, only this rule
  source_arn    = aws_cloudwatch_event_rule.webhook_schedule.arn
}

resource "aws_cloudwatch_metric_alarm" "webhook_errors" {
  alarm_name          = "${local.prefix}-webhook-errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.webhook.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "webhook_dead_letters" {
  alarm_name          = "${local.prefix}-webhook-dead-letters"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.webhook_dead_letters.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.alarm_topic_arn]
}
