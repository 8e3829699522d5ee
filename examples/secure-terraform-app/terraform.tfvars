aws_region = "eu-west-1"
stage      = "prod"

package = {
  bucket  = "orders-artifacts"
  key     = "orders/orders-1.4.0.zip"
  version = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
}

# Written by the release pipeline.
live_versions = {
  create_order = "14"
  report       = "9"
  webhook      = "6"
}

payment_api_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/payment-api-key-Xy12Ab"
alarm_topic_arn            = "arn:aws:sns:eu-west-1:123456789012:orders-on-call"
