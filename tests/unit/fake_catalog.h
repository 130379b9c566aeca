/* SPDX-License-Identifier: MIT */
/* A small action catalog and lint lists in memory, for the core's unit tests
** and fuzz targets (the extension reads them from tables instead):
** services s3, iam and ec2 with a few actions, resource types and keys. */
#ifndef FAKE_CATALOG_H
#define FAKE_CATALOG_H

#include <string.h>

#include "iam_catalog.h"
#include "iam_lint.h"

static const uint32_t fake_s3_object[] = {1}, fake_s3_bucket[] = {0}, fake_s3_get_keys[] = {0},
                      fake_iam_role[] = {0}, fake_iam_pass_keys[] = {0}, fake_ec2_inst[] = {0};

static const IamCatAction fake_s3_actions[] = {
    /* sorted by lower-case name */
    {"DeleteObject", "deleteobject", 12, IAM_ACCESS_WRITE, fake_s3_object, 1, NULL, 0},
    {"GetObject", "getobject", 9, IAM_ACCESS_READ, fake_s3_object, 1, fake_s3_get_keys, 1},
    {"ListAllMyBuckets", "listallmybuckets", 16, IAM_ACCESS_LIST, NULL, 0, NULL, 0},
    {"PutBucketPolicy", "putbucketpolicy", 15, IAM_ACCESS_PERMISSIONS, fake_s3_bucket, 1, NULL, 0},
    {"PutObject", "putobject", 9, IAM_ACCESS_WRITE, fake_s3_object, 1, NULL, 0},
};
static const char *const fake_s3_arn[] = {"arn:${Partition}:s3:::${BucketName}",
                                          "arn:${Partition}:s3:::${BucketName}/${ObjectName}"};
static const IamCatKey fake_s3_keys[] = {{"s3:ExistingObjectTag/<key>", IAM_KEY_STRING, 0}};
static const IamCatService fake_s3 = {"s3", fake_s3_actions, 5, fake_s3_arn, 2, fake_s3_keys, 1};

static const IamCatAction fake_iam_actions[] = {
    {"AttachUserPolicy", "attachuserpolicy", 16, IAM_ACCESS_PERMISSIONS, NULL, 0, NULL, 0},
    {"CreateAccessKey", "createaccesskey", 15, IAM_ACCESS_WRITE, NULL, 0, NULL, 0},
    {"PassRole", "passrole", 8, IAM_ACCESS_WRITE, fake_iam_role, 1, fake_iam_pass_keys, 1},
};
static const char *const fake_iam_arn[] = {
    "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"};
static const IamCatKey fake_iam_keys[] = {{"iam:PassedToService", IAM_KEY_STRING, 0}};
static const IamCatService fake_iam = {"iam", fake_iam_actions, 3, fake_iam_arn,
                                       1,     fake_iam_keys,    1};

static const IamCatAction fake_ec2_actions[] = {
    {"DescribeInstances", "describeinstances", 17, IAM_ACCESS_LIST, NULL, 0, NULL, 0},
    {"RunInstances", "runinstances", 12, IAM_ACCESS_WRITE, fake_ec2_inst, 1, NULL, 0},
};
static const char *const fake_ec2_arn[] = {
    "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}"};
static const IamCatService fake_ec2 = {"ec2", fake_ec2_actions, 2, fake_ec2_arn, 1, NULL, 0};

static const IamCatService *const fake_services[] = {&fake_ec2, &fake_iam, &fake_s3};
static const char *const fake_prefixes[] = {"ec2", "iam", "s3"};

static int fake_service(void *arg, const char *prefix, size_t n, const IamCatService **out) {
  (void)arg;
  for (size_t i = 0; i < 3; i++) {
    if (strlen(fake_prefixes[i]) == n && memcmp(fake_prefixes[i], prefix, n) == 0) {
      *out = fake_services[i];
      return 1;
    }
  }
  return 0;
}

static int fake_service_list(void *arg, const char *const **prefixes, uint32_t *n) {
  (void)arg;
  *prefixes = fake_prefixes;
  *n = 3;
  return IAM_OK;
}

static const IamCatalog fake_catalog = {NULL, fake_service, fake_service_list};

static const IamCatKey fake_global_keys[] = {{"aws:SourceIp", IAM_KEY_IP, 0},
                                             {"aws:TagKeys", IAM_KEY_STRING, 1},
                                             {"aws:username", IAM_KEY_STRING, 0},
                                             {"aws:VpcSourceIp", IAM_KEY_IP, 0}};
static const char *const fake_rule_ec2[] = {"iam:PassRole", "ec2:RunInstances"};
static const IamLintRule fake_rules[] = {{"PassRoleToEC2", fake_rule_ec2, 2}};
static const char *const fake_credentials[] = {"iam:CreateAccessKey"};
static const char *const fake_sensitive_action[] = {"s3:GetObject"};
static const char *const fake_sensitive_resource[] = {"arn:aws:s3:::secrets/*"};
static const char *const fake_resource_policy[] = {"s3:PutBucketPolicy"};
static const char *const fake_paired_key[] = {"aws:VpcSourceIp"};
static const char *const fake_paired_with[] = {"aws:SourceVpc"};

static const IamLintLists fake_lists = {
    1,
    1,
    1,
    1,
    1,
    1,
    fake_global_keys,
    4,
    fake_rules,
    1,
    fake_credentials,
    1,
    fake_sensitive_action,
    fake_sensitive_resource,
    1,
    fake_resource_policy,
    1,
    fake_paired_key,
    fake_paired_with,
    1,
};

#endif /* FAKE_CATALOG_H */
