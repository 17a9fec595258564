//! Amazon Resource Names, split into their parts (read-only, no checks
//! beyond the shape: callers decide which services and resources they take).

/// `arn:<partition>:<service>:<region>:<account>:<resource>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    /// Everything after the account, colons included (`role/path/name`).
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        Some(Self {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        })
    }

    /// One of the AWS partitions (commercial, China, GovCloud).
    pub fn known_partition(&self) -> bool {
        matches!(self.partition, "aws" | "aws-cn" | "aws-us-gov")
    }

    /// `NAME` of an STS `assumed-role/NAME/SESSION` ARN.
    pub fn assumed_role_name(&self) -> Option<&'a str> {
        if self.service != "sts" {
            return None;
        }
        self.resource
            .strip_prefix("assumed-role/")?
            .split('/')
            .next()
    }

    /// Twelve digits.
    pub fn account_well_formed(&self) -> bool {
        self.account.len() == 12 && self.account.chars().all(|c| c.is_ascii_digit())
    }
}

/// The partition of a region: China and GovCloud have their own, and so
/// every ARN the app builds for them (`arn:aws-cn:…`).
pub fn partition_of_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// The domain of a partition's service endpoints and principals.
pub fn dns_suffix(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "amazonaws.com.cn",
        "aws-iso" => "c2s.ic.gov",
        "aws-iso-b" => "sc2s.sgov.gov",
        _ => "amazonaws.com",
    }
}

/// Who a role trusts: EKS is `eks.amazonaws.com` in every partition, while
/// EC2 has the partition's own domain (`ec2.amazonaws.com.cn` in China,
/// where IAM refuses `ec2.amazonaws.com` as a principal), as
/// terraform-aws-eks and kops write it.
pub fn service_principal(partition: &str, service: &str) -> String {
    if service == "eks" {
        return "eks.amazonaws.com".to_string();
    }
    format!("{service}.{}", dns_suffix(partition))
}

/// The ARN of an AWS-managed IAM policy (`AmazonEKSClusterPolicy`).
pub fn managed_policy_arn(partition: &str, name: &str) -> String {
    format!("arn:{partition}:iam::aws:policy/{name}")
}

/// The ARN of an EKS access policy named in a spec
/// (`AmazonEKSViewPolicy`); an ARN is kept as it is.
pub fn access_policy_arn(partition: &str, policy: &str) -> String {
    if policy.starts_with("arn:") {
        policy.to_string()
    } else {
        format!("arn:{partition}:eks::aws:cluster-access-policy/{policy}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_follow_the_region() {
        assert_eq!(partition_of_region("eu-west-1"), "aws");
        assert_eq!(partition_of_region("cn-north-1"), "aws-cn");
        assert_eq!(partition_of_region("us-gov-west-1"), "aws-us-gov");
        assert_eq!(
            managed_policy_arn("aws-cn", "AmazonEKSClusterPolicy"),
            "arn:aws-cn:iam::aws:policy/AmazonEKSClusterPolicy"
        );
        assert_eq!(
            access_policy_arn("aws-us-gov", "AmazonEKSViewPolicy"),
            "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
        );
        let arn = "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
        assert_eq!(access_policy_arn("aws", arn), arn);
    }

    #[test]
    fn services_are_trusted_by_their_partitions_names() {
        assert_eq!(service_principal("aws", "ec2"), "ec2.amazonaws.com");
        assert_eq!(service_principal("aws-cn", "ec2"), "ec2.amazonaws.com.cn");
        assert_eq!(service_principal("aws-cn", "eks"), "eks.amazonaws.com");
        assert_eq!(service_principal("aws-us-gov", "ec2"), "ec2.amazonaws.com");
    }

    #[test]
    fn parts_are_split_and_the_resource_keeps_its_colons() {
        let a = Arn::parse("arn:aws:eks:eu-west-1:123456789012:cluster/my-eks").unwrap();
        assert_eq!(
            (a.service, a.region, a.account),
            ("eks", "eu-west-1", "123456789012")
        );
        assert_eq!(a.resource, "cluster/my-eks");
        let b = Arn::parse("arn:aws:logs:us-east-1:123456789012:log-group:x:*").unwrap();
        assert_eq!(b.resource, "log-group:x:*");
        assert!(a.known_partition() && a.account_well_formed());
        assert_eq!(Arn::parse("not:an:arn:at:all:x"), None);
        let session = Arn::parse("arn:aws:sts::111122223333:assumed-role/Admin/jane").unwrap();
        assert_eq!(session.assumed_role_name(), Some("Admin"));
        assert_eq!(a.assumed_role_name(), None);
        assert_eq!(Arn::parse("arn:aws:iam"), None);
    }
}
