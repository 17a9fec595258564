# Terraform for the EKS cluster "my-eks" (ap-northeast-2), exported by EKS Desk.
# It declares what EKS Desk creates for this spec. A VPC, subnets or IAM roles
# that the spec names as existing are only referenced, never managed here.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.33, < 7.0"
    }
  }
}

provider "aws" {
  region = "ap-northeast-2"
}

# The partition (aws, aws-cn, aws-us-gov) every ARN below is built in.
data "aws_partition" "current" {}

locals {
  control_plane_subnets = [
    { cidr = "10.0.0.192/28", az = "ap-northeast-2a" },
    { cidr = "10.0.0.208/28", az = "ap-northeast-2b" },
    { cidr = "10.0.0.224/28", az = "ap-northeast-2c" },
  ]
  node_subnet_ids = [
    "subnet-1",
    "subnet-2",
  ]
}

data "aws_vpc" "main" {
  id = "vpc-0abc"
}

resource "aws_subnet" "eks_control_plane" {
  count = length(local.control_plane_subnets)

  vpc_id            = data.aws_vpc.main.id
  cidr_block        = local.control_plane_subnets[count.index].cidr
  availability_zone = local.control_plane_subnets[count.index].az

  tags = {
    team = "platform"
    Name = "my-eks-control-plane-${local.control_plane_subnets[count.index].az}"
  }
}

resource "aws_eks_cluster" "main" {
  name     = "my-eks"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
  version  = "1.33"

  tags = {
    team = "platform"
  }

  vpc_config {
    subnet_ids              = aws_subnet.eks_control_plane[*].id
    endpoint_public_access  = true
    endpoint_private_access = false
  }

  access_config {
    authentication_mode                         = "API_AND_CONFIG_MAP"
    bootstrap_cluster_creator_admin_permissions = true
  }
}

resource "aws_eks_node_group" "gpu_spot" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "gpu-spot"
  node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"
  subnet_ids      = ["subnet-2"]
  ami_type        = "AL2023_x86_64_NVIDIA"
  instance_types  = ["g5.xlarge", "g5.2xlarge"]
  capacity_type   = "SPOT"
  disk_size       = 20

  labels = {
    "node.kubernetes.io/pool" = "gpu"
  }

  tags = {
    team = "platform"
  }

  scaling_config {
    desired_size = 1
    max_size     = 3
    min_size     = 1
  }

  taint {
    key    = "nvidia.com/gpu"
    value  = "true"
    effect = "NO_SCHEDULE"
  }

  taint {
    key    = "spot"
    effect = "PREFER_NO_SCHEDULE"
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name  = aws_eks_cluster.main.name
  addon_name    = "vpc-cni"
  addon_version = "v1.19.5-eksbuild.3"
}

resource "aws_eks_addon" "coredns" {
  cluster_name  = aws_eks_cluster.main.name
  addon_name    = "coredns"
  addon_version = "v1.12.1-eksbuild.2"

  depends_on = [
    aws_eks_node_group.gpu_spot,
  ]
}

resource "aws_eks_addon" "kube_proxy" {
  cluster_name  = aws_eks_cluster.main.name
  addon_name    = "kube-proxy"
  addon_version = "v1.33.0-eksbuild.2"
}

resource "aws_eks_addon" "eks_pod_identity_agent" {
  cluster_name = aws_eks_cluster.main.name
  addon_name   = "eks-pod-identity-agent"
}

resource "aws_eks_access_entry" "developers" {
  cluster_name  = aws_eks_cluster.main.name
  principal_arn = "arn:aws:iam::111122223333:role/developers"
}

resource "aws_eks_access_policy_association" "developers_AmazonEKSEditPolicy" {
  cluster_name  = aws_eks_cluster.main.name
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
  principal_arn = aws_eks_access_entry.developers.principal_arn

  access_scope {
    type       = "namespace"
    namespaces = ["dev", "staging"]
  }
}
