import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def create_order(event, context):
    order = json.loads(event["body"])
    TABLE.put_item(Item=order)
    return {"statusCode": 201, "body": json.dumps({"id": order["id"]})}


def report(event, context):
    items = TABLE.scan(Limit=100)["Items"]
    return {"statusCode": 200, "body": json.dumps(items, default=str)}


def webhook(event, context):
    return {"statusCode": 204}
