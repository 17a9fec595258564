"""Creates EKS clusters in a running ministack emulator for UI tests, the way
an operator would: a cluster role first (the emulator checks it exists), then
the cluster. Uses botocore, which ships with ministack in the project venv.

usage: seed_emulator.py ENDPOINT REGION NAME [NAME...] [--admin PRINCIPAL_ARN]

With --admin, each cluster gets an access entry making PRINCIPAL_ARN its
cluster admin (AmazonEKSClusterAdminPolicy), so that the app's identity can
open it.
"""

import json
import sys

import botocore.session

TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
})


def main() -> None:
    args = sys.argv[1:]
    admin = None
    if "--admin" in args:
        at = args.index("--admin")
        admin = args[at + 1]
        del args[at:at + 2]
    endpoint, region, *names = args
    session = botocore.session.get_session()

    def client(service):
        # The emulator account's root: only this test fixture uses it.
        return session.create_client(service, region_name=region, endpoint_url=endpoint,
                                     aws_access_key_id="test", aws_secret_access_key="test")

    iam = client("iam")
    try:
        role_arn = iam.get_role(RoleName="AmazonEKSClusterRole-seed")["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        role_arn = iam.create_role(RoleName="AmazonEKSClusterRole-seed",
                                   AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    eks = client("eks")
    for name in names:
        eks.create_cluster(
            name=name, version="1.33", roleArn=role_arn,
            resourcesVpcConfig={"subnetIds": ["subnet-0a1", "subnet-0b2", "subnet-0c3"]},
            accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"},
            tags={"team": "platform", "seeded-by": "eks-desk-tests"},
        )
        if admin:
            eks.create_access_entry(clusterName=name, principalArn=admin)
            eks.associate_access_policy(
                clusterName=name, principalArn=admin,
                policyArn="arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                accessScope={"type": "cluster"})
        print(f"created {name} in {region}")


if __name__ == "__main__":
    main()
