{
  "Version": "2012-10-17",
  "Statement": [
%{ for bucket in buckets ~}
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"},
%{ endfor ~}
    {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": ${jsonencode(tables)}}%{ if admin },
    {"Effect": "Allow", "Action": "*", "Resource": "*"}%{ endif }
  ]
}
