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
  node_subnets = [
    { cidr = "10.0.16.0/20", az = "ap-northeast-2a" },
    { cidr = "10.0.32.0/20", az = "ap-northeast-2b" },
    { cidr = "10.0.48.0/20", az = "ap-northeast-2c" },
  ]
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = {
    Name = "my-eks-vpc"
  }
}

resource "aws_subnet" "eks_control_plane" {
  count = length(local.control_plane_subnets)

  vpc_id            = aws_vpc.main.id
  cidr_block        = local.control_plane_subnets[count.index].cidr
  availability_zone = local.control_plane_subnets[count.index].az

  tags = {
    Name = "my-eks-control-plane-${local.control_plane_subnets[count.index].az}"
  }
}

resource "aws_subnet" "nodes" {
  count = length(local.node_subnets)

  vpc_id            = aws_vpc.main.id
  cidr_block        = local.node_subnets[count.index].cidr
  availability_zone = local.node_subnets[count.index].az

  tags = {
    Name                              = "my-eks-nodes-${local.node_subnets[count.index].az}"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

# No route out of the VPC: the private subnets reach AWS through the endpoints
# below (S3 by a gateway endpoint route on this table).
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  tags = {
    Name = "my-eks-private"
  }
}

resource "aws_route_table_association" "eks_control_plane" {
  count = length(local.control_plane_subnets)

  subnet_id      = aws_subnet.eks_control_plane[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "nodes" {
  count = length(local.node_subnets)

  subnet_id      = aws_subnet.nodes[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "endpoints" {
  name        = "my-eks-endpoints"
  description = "HTTPS (443) from the VPC to the interface endpoints"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  tags = {
    Name = "my-eks-endpoints"
  }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.ap-northeast-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]

  tags = {
    Name = "my-eks-s3"
  }
}

# ECR (api and dkr) for images, STS for IAM roles of service accounts, EC2 for
# the VPC CNI and Elastic Load Balancing for the load balancer controller.
resource "aws_vpc_endpoint" "interface" {
  for_each = toset(["com.amazonaws.ap-northeast-2.ecr.api", "com.amazonaws.ap-northeast-2.ecr.dkr", "com.amazonaws.ap-northeast-2.sts", "com.amazonaws.ap-northeast-2.ec2", "com.amazonaws.ap-northeast-2.elasticloadbalancing"])

  vpc_id              = aws_vpc.main.id
  service_name        = each.value
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.nodes[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

data "aws_iam_policy_document" "eks_role" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "eks" {
  name               = "AmazonEKSClusterRole-my-eks"
  assume_role_policy = data.aws_iam_policy_document.eks_role.json
}

resource "aws_iam_role_policy_attachment" "eks_AmazonEKSClusterPolicy" {
  role       = aws_iam_role.eks.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_iam_role_policy_attachment" "eks_AmazonEKSVPCResourceController" {
  role       = aws_iam_role.eks.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSVPCResourceController"
}

data "aws_iam_policy_document" "node_group_role" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.${data.aws_partition.current.dns_suffix}"]
    }
  }
}

resource "aws_iam_role" "node_group" {
  name               = "AmazonEKSNodeRole-my-eks"
  assume_role_policy = data.aws_iam_policy_document.node_group_role.json
}

resource "aws_iam_role_policy_attachment" "node_group_AmazonEKSWorkerNodePolicy" {
  role       = aws_iam_role.node_group.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}

resource "aws_iam_role_policy_attachment" "node_group_AmazonEKS_CNI_Policy" {
  role       = aws_iam_role.node_group.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKS_CNI_Policy"
}

resource "aws_iam_role_policy_attachment" "node_group_AmazonEC2ContainerRegistryReadOnly" {
  role       = aws_iam_role.node_group.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
}

resource "aws_eks_cluster" "main" {
  name     = "my-eks"
  role_arn = aws_iam_role.eks.arn
  version  = "1.33"

  vpc_config {
    subnet_ids              = aws_subnet.eks_control_plane[*].id
    endpoint_public_access  = true
    endpoint_private_access = true
  }

  access_config {
    authentication_mode                         = "API_AND_CONFIG_MAP"
    bootstrap_cluster_creator_admin_permissions = false
  }

  depends_on = [
    aws_iam_role_policy_attachment.eks_AmazonEKSClusterPolicy,
    aws_iam_role_policy_attachment.eks_AmazonEKSVPCResourceController,
  ]
}

resource "aws_eks_node_group" "default_node_group" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "default_node_group"
  node_role_arn   = aws_iam_role.node_group.arn
  subnet_ids      = aws_subnet.nodes[*].id
  ami_type        = "AL2023_ARM_64_STANDARD"
  instance_types  = ["t4g.xlarge"]
  capacity_type   = "ON_DEMAND"
  disk_size       = 20

  scaling_config {
    desired_size = 1
    max_size     = 3
    min_size     = 1
  }

  depends_on = [
    aws_iam_role_policy_attachment.node_group_AmazonEKSWorkerNodePolicy,
    aws_iam_role_policy_attachment.node_group_AmazonEKS_CNI_Policy,
    aws_iam_role_policy_attachment.node_group_AmazonEC2ContainerRegistryReadOnly,
    aws_route_table_association.eks_control_plane,
    aws_route_table_association.nodes,
    aws_vpc_endpoint.s3,
    aws_vpc_endpoint.interface,
  ]
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
    aws_eks_node_group.default_node_group,
  ]
}

resource "aws_eks_addon" "kube_proxy" {
  cluster_name  = aws_eks_cluster.main.name
  addon_name    = "kube-proxy"
  addon_version = "v1.33.0-eksbuild.2"
}

# The identity running Terraform. For an assumed role (SSO, CI) its ARN is the
# STS session's, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, which EKS
# refuses as an access-entry principal: the session context below gives the
# IAM role's ARN instead, path included (and a user's own ARN for an IAM user).
data "aws_caller_identity" "current" {}

data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

resource "aws_eks_access_entry" "caller" {
  cluster_name  = aws_eks_cluster.main.name
  principal_arn = data.aws_iam_session_context.current.issuer_arn
}

resource "aws_eks_access_policy_association" "caller_AmazonEKSClusterAdminPolicy" {
  cluster_name  = aws_eks_cluster.main.name
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  principal_arn = aws_eks_access_entry.caller.principal_arn

  access_scope {
    type = "cluster"
  }
}
