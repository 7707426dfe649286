//! `summary.json` (schema_version 1): the figures a scheduled job reads.
//!
//! Amounts are JSON numbers rounded to cents, ratios to four decimals; keys keep
//! their order so reruns are byte-identical. The schema is a contract: fields are
//! added, never renamed or removed.

use super::RenderError;
use crate::category::Category;
use crate::monitoring::indicator::{Indicator, Unit};
use crate::report::monitoring::{MonthlyFigures, Trend};
use crate::report::{
    AuditStatus, BreachReason, CategoryCounts, PartnerAudit, ProjectAudit, ProjectGroup,
    ProjectTotals, Report,
};
use crate::status::RunStatus;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};

/// The summary as pretty-printed JSON with a final newline.
///
/// # Errors
/// [`RenderError`] if serialisation fails (it would be a bug).
pub(crate) fn render(report: &Report) -> Result<Vec<u8>, RenderError> {
    let mut bytes =
        serde_json::to_vec_pretty(&Summary(report)).map_err(|e| RenderError::new("JSON", e))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The summary as it is serialised: its fields as JSON values, but for the
/// trend, most of the file at scale, which is serialised straight from the
/// report ([`TrendJson`]) where [`fields`] holds its place.
struct Summary<'r>(&'r Report);

impl Serialize for Summary<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Value::Object(fields) = fields(self.0) else {
            unreachable!("the summary is a JSON object");
        };
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for (key, value) in &fields {
            if key == TREND {
                map.serialize_entry(key, &TrendJson(&self.0.monitoring.trend))?;
            } else {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// The key of the trend among the summary's fields.
const TREND: &str = "trend";

/// The summary's fields in their order, the trend's value left `null`.
fn fields(report: &Report) -> Value {
    let counts = report.issue_counts();
    json!({
        "schema_version": 1,
        "period": report.period.to_string(),
        "as_of": report.as_of.to_string(),
        "status": status(&report.status),
        "members": members(report),
        "projects": projects(report),
        "audit": audit(report),
        "previous": previous(report),
        "change": change(report),
        "movements": {
            "joined": movement(&report.movements.joined),
            "left": movement(&report.movements.left),
        },
        "monitoring": monitoring(report),
        TREND: Value::Null,
        "issues": { "errors": counts.errors, "warnings": counts.warnings },
        "inputs": report.inputs.iter().map(|i| json!({
            "path": i.path,
            "kind": i.kind.key(),
            "sha256": i.sha256,
            "sheets": i.sheets,
            "rows": i.rows,
            "rejected": i.rejected,
        })).collect::<Vec<_>>(),
        "config": report.config.as_ref().map(|c| json!({ "path": c.path, "sha256": c.sha256 })),
        "version": report.version,
    })
}

/// How the run that wrote the report ends: `ok`, or `failed` with a reason for
/// each check of the command line that the report failed.
fn status(status: &RunStatus) -> Value {
    json!({
        "result": status.result(),
        "exit_code": status.exit_code(),
        "checks": status.checks.iter().map(|c| c.flag()).collect::<Vec<_>>(),
        "reasons": status.failures.iter().map(|f| json!({
            "check": f.check.flag(),
            "count": f.count,
            "message": f.message(),
        })).collect::<Vec<_>>(),
    })
}

/// Every target at the period: its path, the expected and actual values, the
/// gap (actual − expected) and the status.
fn monitoring(report: &Report) -> Value {
    let targets = report.monitoring.targets.iter().map(|t| {
        let value = |v: Option<i64>| v.map_or(Value::Null, |v| measure(t.indicator, v));
        let points = t.path.as_ref().map(|p| p.points()).unwrap_or_default();
        let milestones: Map<String, Value> = points
            .get(1..points.len().saturating_sub(1))
            .unwrap_or_default()
            .iter()
            .map(|p| (p.month.to_string(), measure(t.indicator, p.value)))
            .collect();
        json!({
            "cluster": t.scope.key(),
            "indicator": t.indicator.key(),
            "from": t.from.to_string(),
            "baseline": value(points.first().map(|p| p.value)),
            "baseline_computed": t.baseline_computed,
            "milestones": milestones,
            "by": t.by.to_string(),
            "target": value(points.last().map(|p| p.value)),
            "tolerance": t.tolerance,
            "expected": value(t.expected),
            "actual": value(t.actual),
            "gap": value(t.gap()),
            "status": t.status.key(),
            "origin": t.origin,
        })
    });
    Value::Array(targets.collect())
}

/// Every indicator at each month's end of the trend, by cluster and in total;
/// `null` for a month before the data or a ratio of nothing.
struct TrendJson<'t>(&'t Trend);

impl Serialize for TrendJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let trend = self.0;
        let months: Vec<String> = trend.months.iter().map(ToString::to_string).collect();
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("months", &months)?;
        map.serialize_entry("data_from", &trend.data_from.map(|m| m.to_string()))?;
        map.serialize_entry("clusters", &ClustersJson(trend))?;
        map.serialize_entry("total", &SeriesJson(trend, &trend.total))?;
        map.end()
    }
}

/// Each cluster's series, by its name, in the report's order.
struct ClustersJson<'t>(&'t Trend);

impl Serialize for ClustersJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let trend = self.0;
        let clusters = trend.clusters.iter();
        serializer.collect_map(clusters.map(|c| (&c.cluster, SeriesJson(trend, &c.figures))))
    }
}

/// Each indicator of one cluster's figures (or the total's), month by month.
struct SeriesJson<'t>(&'t Trend, &'t MonthlyFigures);

impl Serialize for SeriesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let SeriesJson(trend, figures) = *self;
        serializer.collect_map(Indicator::all().into_iter().map(|indicator| {
            let values = trend.values(figures, indicator).into_iter();
            let measures: Vec<Option<Measure>> =
                values.map(|v| v.map(|v| Measure(indicator, v))).collect();
            (indicator.key(), measures)
        }))
    }
}

/// A value of `indicator` as a JSON number, as [`measure`] makes it.
#[derive(Clone, Copy)]
struct Measure(Indicator, i64);

impl Serialize for Measure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Measure(indicator, value) = *self;
        measure(indicator, value).serialize(serializer)
    }
}

/// A value of `indicator` as a JSON number: a whole count as an integer,
/// money to the cent, a fraction or an expected count to four decimals.
fn measure(indicator: Indicator, value: i64) -> Value {
    let unit = indicator.unit();
    if unit == Unit::Count && value % unit.scale() == 0 {
        json!(value / unit.scale())
    } else {
        json!(unit.as_f64(value))
    }
}

fn previous(report: &Report) -> Value {
    let p = &report.previous;
    json!({
        "period": p.period.to_string(),
        "members": { "total": p.members.total(), "by_category": by_category(&p.members.totals) },
        "projects": Value::Object(totals(&p.portfolio)),
        "audit": { "breaches": p.breaches },
    })
}

fn change(report: &Report) -> Value {
    let c = report.change();
    json!({
        "members": c.members,
        "projects": c.projects,
        "project_value": c.value.as_euros_f64(),
        "financing": c.financing.as_euros_f64(),
        "financing_ratio": c.ratio_basis_points.map(|bp| bp as f64 / 10_000.0),
        "breaches": c.breaches,
    })
}

fn movement(clusters: &[crate::report::ClusterMembers]) -> Value {
    let by_cluster: Map<String, Value> = clusters
        .iter()
        .map(|c| {
            (
                c.cluster.clone(),
                json!({ "total": c.counts.total(), "by_category": by_category(&c.counts) }),
            )
        })
        .collect();
    json!({ "total": clusters.iter().map(|c| c.counts.total()).sum::<u64>(), "by_cluster": by_cluster })
}

fn by_category(counts: &CategoryCounts) -> Value {
    let map: Map<String, Value> = Category::ALL
        .iter()
        .map(|c| (c.key().to_string(), json!(counts.get(*c))))
        .collect();
    Value::Object(map)
}

fn members(report: &Report) -> Value {
    let by_cluster: Map<String, Value> = report
        .members
        .by_cluster
        .iter()
        .map(|c| {
            (
                c.cluster.clone(),
                json!({ "total": c.counts.total(), "by_category": by_category(&c.counts) }),
            )
        })
        .collect();
    let by_province: Map<String, Value> = report
        .members
        .by_province
        .iter()
        .map(|p| {
            (
                p.province.clone().unwrap_or_default(),
                json!({ "total": p.counts.total(), "by_category": by_category(&p.counts) }),
            )
        })
        .collect();
    json!({
        "total": report.members.total(),
        "by_category": by_category(&report.members.totals),
        "by_cluster": by_cluster,
        "by_province": by_province,
    })
}

fn ratio_value(ratio: Option<crate::money::Ratio>) -> Value {
    ratio.map_or(Value::Null, |r| json!(r.as_f64()))
}

fn totals(t: &ProjectTotals) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("count".into(), json!(t.count));
    map.insert("project_value".into(), json!(t.value.as_euros_f64()));
    map.insert("financing".into(), json!(t.financing.as_euros_f64()));
    map.insert("financing_ratio".into(), ratio_value(t.ratio()));
    map
}

fn groups(groups: &[ProjectGroup]) -> Value {
    Value::Object(
        groups
            .iter()
            .map(|g| (g.key.clone(), Value::Object(totals(&g.totals))))
            .collect(),
    )
}

fn projects(report: &Report) -> Value {
    let p = &report.projects;
    let mut map = totals(&p.portfolio);
    map.insert("by_cluster".into(), groups(&p.by_cluster));
    map.insert("by_call".into(), groups(&p.by_call));
    map.insert("in_period".into(), Value::Object(totals(&p.in_period)));
    map.insert(
        "year_to_date".into(),
        Value::Object(totals(&p.year_to_date)),
    );
    Value::Object(map)
}

fn audit(report: &Report) -> Value {
    let project = |p: &ProjectAudit| {
        let cap = p.verdict.cap.as_ref();
        json!({
            "project_id": p.project_id,
            "cluster": p.cluster,
            "call": p.call,
            "project_value": p.value.as_euros_f64(),
            "financing": p.financing.as_euros_f64(),
            "ratio": ratio_value(p.ratio),
            "cap": cap.map(|c| c.max_ratio.as_f64()),
            "max_grant": cap.and_then(|c| c.max_grant).map(|g| g.as_euros_f64()),
            "rule": cap.map(|c| c.rule_number),
            "excess": p.verdict.excess.map(|e| e.as_euros_f64()),
            "headroom": p.verdict.headroom.map(|h| h.as_euros_f64()),
            "reason": p.verdict.reason.map(BreachReason::key),
            "lead_member_id": p.lead_member_id,
            "lead_member_name": p.lead_member_name,
            "lead_category": p.lead_category.map(|c| c.key()),
            "rule_label": cap.and_then(|c| c.terms.label.as_deref()),
        })
    };
    let partner = |p: &PartnerAudit| {
        let cap = p.verdict.cap.as_ref();
        json!({
            "project_id": p.project_id,
            "member_id": p.member_id,
            "category": p.category.map(|c| c.key()),
            "cost_share": p.cost_share.as_euros_f64(),
            "financing_share": p.financing_share.as_euros_f64(),
            "ratio": ratio_value(p.ratio),
            "cap": cap.map(|c| c.max_ratio.as_f64()),
            "rule": cap.map(|c| c.rule_number),
            "excess": p.verdict.excess.map(|e| e.as_euros_f64()),
            "reason": p.verdict.reason.map(BreachReason::key),
        })
    };
    let count = |status| {
        report
            .audit
            .projects
            .iter()
            .filter(|p| p.verdict.status == status)
            .count()
    };
    use AuditStatus::*;
    json!({
        "breaches": report.audit.breaches().map(project).collect::<Vec<_>>(),
        "total_excess": report.audit.total_excess().as_euros_f64(),
        "near_breaches": report.audit.near_breaches().map(project).collect::<Vec<_>>(),
        "partner_breaches": report.audit.partner_breaches().map(partner).collect::<Vec<_>>(),
        "de_minimis": report.audit.de_minimis.iter().map(|d| json!({
            "member_id": d.member_id,
            "name": d.name,
            "window_start": d.window_start.to_string(),
            "financing": d.financing.as_euros_f64(),
            "limit": d.limit.as_euros_f64(),
            "excess": d.excess.as_euros_f64(),
            "projects": d.projects,
        })).collect::<Vec<_>>(),
        "counts": {
            "breach": count(Breach),
            "near_cap": count(NearCap),
            "within_cap": count(WithinCap),
            "no_cap": count(NoCap),
            "undefined": count(Undefined),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    /// The summary as a JSON value.
    fn summary(report: &Report) -> Value {
        serde_json::to_value(Summary(report)).unwrap()
    }

    /// The trend as a tree of JSON values, as the summary was once made whole:
    /// the reference its direct serialisation is compared with.
    fn trend_tree(trend: &Trend) -> Value {
        let series = |figures| -> Value {
            let map: Map<String, Value> = Indicator::all()
                .into_iter()
                .map(|indicator| {
                    let values = trend
                        .values(figures, indicator)
                        .into_iter()
                        .map(|v| v.map_or(Value::Null, |v| measure(indicator, v)))
                        .collect();
                    (indicator.key().to_string(), Value::Array(values))
                })
                .collect();
            Value::Object(map)
        };
        let clusters: Map<String, Value> = trend
            .clusters
            .iter()
            .map(|c| (c.cluster.clone(), series(&c.figures)))
            .collect();
        json!({
            "months": trend.months.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
            "data_from": trend.data_from.map(|m| m.to_string()),
            "clusters": clusters,
            "total": series(&trend.total),
        })
    }

    #[test]
    fn the_trend_is_written_as_its_tree_of_values_would_be() {
        let mut report = sample_report();
        report.monitoring = crate::report::monitoring::sample_monitoring();
        let trend = &report.monitoring.trend;
        assert!(trend.values(&trend.total, Indicator::Members)[0].is_none());
        let mut whole = fields(&report);
        whole[TREND] = trend_tree(trend);
        let mut expected = serde_json::to_vec_pretty(&whole).unwrap();
        expected.push(b'\n');
        let written = render(&report).unwrap();
        assert!(written == expected, "{}", String::from_utf8_lossy(&written));
        let text = String::from_utf8(written).unwrap();
        assert!(
            text.contains("\"share.sme\": [\n          null,\n          0.9863,"),
            "{text}"
        );
        assert!(
            text.contains("\"trend\": {\n    \"months\": [\n      \"2026-09\","),
            "{text}"
        );
    }

    #[test]
    fn the_summary_carries_the_documented_fields() {
        let value = summary(&sample_report());
        assert_eq!(value["schema_version"], 1);
        assert_eq!(value["period"], "2026-11");
        assert_eq!(
            value["members"]["by_cluster"]["Mobilità"]["by_category"]["sme"],
            72
        );
        assert_eq!(value["members"]["by_cluster"]["Mobilità"]["total"], 121);
        let breach = &value["audit"]["breaches"][0];
        assert_eq!(breach["ratio"], 0.7252);
        assert_eq!(breach["cap"], 0.7);
        assert_eq!(breach["excess"], 3994.0);
        assert_eq!(breach["reason"], "ratio");
        assert_eq!(breach["lead_member_id"], "01234567890");
        assert_eq!(breach["lead_member_name"], "Alfa Meccanica S.r.l.");
        assert_eq!(breach["rule_label"], Value::Null);
        assert_eq!(value["audit"]["total_excess"], 3994.0);
        assert_eq!(
            value["projects"]["by_cluster"]["Scienze della vita"]["financing_ratio"],
            0.7252
        );
    }

    #[test]
    fn the_status_says_ok_or_failed_with_each_reason() {
        use crate::status::Check;
        let mut report = sample_report();
        assert_eq!(
            summary(&report)["status"],
            json!({ "result": "ok", "exit_code": 0, "checks": [], "reasons": [] })
        );
        report.status = RunStatus::of(&report, &[Check::FailOnBreach]);
        assert_eq!(
            summary(&report)["status"],
            json!({
                "result": "failed",
                "exit_code": 1,
                "checks": ["--fail-on-breach"],
                "reasons": [{
                    "check": "--fail-on-breach",
                    "count": 1,
                    "message": "1 project breaches its financing cap.",
                }],
            })
        );
    }

    #[test]
    fn amounts_print_as_plain_decimal_numbers() {
        let text = String::from_utf8(render(&sample_report()).unwrap()).unwrap();
        assert!(text.contains("\"project_value\": 158500.0"), "{text}");
        assert!(text.contains("\"excess\": 3994.0"));
    }
}
