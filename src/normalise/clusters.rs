//! Cluster names: matched against the configured list, or taken as written.

use crate::category::fold;
use crate::issues::closest;
use std::collections::HashMap;

/// The clusters a run knows about.
pub struct ClusterNames {
    /// Folded name → configured spelling.
    known: HashMap<String, String>,
    listed: Vec<String>,
}

impl ClusterNames {
    /// `configured` is `clusters = [...]` of the config; empty means "any value".
    pub fn new(configured: &[String]) -> ClusterNames {
        let known = configured.iter().map(|c| (fold(c), c.clone())).collect();
        ClusterNames {
            known,
            listed: configured.to_vec(),
        }
    }

    /// The configured spelling of `value`, or the reason it is not a cluster with
    /// the closest configured name.
    pub fn resolve(&self, value: &str) -> Result<String, Option<String>> {
        if self.listed.is_empty() {
            return Ok(value.trim().to_string());
        }
        match self.known.get(&fold(value)) {
            Some(name) => Ok(name.clone()),
            None => Err(closest(value, self.listed.iter().map(String::as_str))),
        }
    }

    /// The configured clusters, in config order.
    pub fn listed(&self) -> &[String] {
        &self.listed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_clusters_match_whatever_the_case_and_accents() {
        let names = ClusterNames::new(&["Mobilità".into(), "Aerospazio".into()]);
        assert_eq!(names.resolve("MOBILITA'"), Ok("Mobilità".into()));
        assert_eq!(names.resolve("Aerospazo"), Err(Some("Aerospazio".into())));
        assert_eq!(names.resolve("Turismo"), Err(None));
        assert_eq!(
            ClusterNames::new(&[]).resolve(" Turismo "),
            Ok("Turismo".into())
        );
    }
}
