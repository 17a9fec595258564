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

    /// Twelve digits.
    pub fn account_well_formed(&self) -> bool {
        self.account.len() == 12 && self.account.chars().all(|c| c.is_ascii_digit())
    }
}

#[cfg(test)]
mod tests {
    use super::Arn;

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
        assert_eq!(Arn::parse("arn:aws:iam"), None);
    }
}
