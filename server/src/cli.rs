//! `sao rules …` and `sao score …`: the scoring model from the command line
//! (also how paper sheets are batch-imported).
use crate::config::{RulesAction, ScoreArgs};
use app::rules_catalog;
use sao_scoring::council::{CouncilInput, MemberSheet};
use sao_scoring::{CriterionCode, ProductSetNumber, RuleSet, RuleSetId, Scorecard};
use std::collections::BTreeSet;
use std::fmt::Write;

fn loaded_rule_sets() -> Result<Vec<RuleSet>, String> {
    rules_catalog::rule_sets().map_err(|e| format!("bộ quy định bị từ chối: {e}"))
}

fn find_set<'a>(rule_sets: &'a [RuleSet], id: &str, number: u32) -> Result<&'a Scorecard, String> {
    let rule_set = rule_sets
        .iter()
        .find(|r| r.id.as_str() == id)
        .ok_or_else(|| format!("không có bộ quy định \"{id}\" (xem `sao rules list`)"))?;
    let number = ProductSetNumber::new(number)?;
    rule_set
        .product_set(number)
        .ok_or_else(|| format!("bộ quy định {id} không có bộ sản phẩm số {number}"))
}

/// Loads every `set-*.json` of `dir` as rule set `id`, with the checks shipped data passes.
pub fn check_rule_set(id: &str, dir: &std::path::Path) -> Result<String, String> {
    let id = RuleSetId::parse(id)?;
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("không đọc được thư mục {}: {e}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with("set-") && name.ends_with(".json") {
            let text = std::fs::read_to_string(entry.path()).map_err(|e| format!("{name}: {e}"))?;
            files.push((entry.path().display().to_string(), text));
        }
    }
    if files.is_empty() {
        return Err(format!("{} không có tệp set-NN.json nào", dir.display()));
    }
    files.sort();
    let rule_set = RuleSet::load(&id, files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| format!("bộ quy định bị từ chối: {e}"))?;
    Ok(format!(
        "{}: {} bộ sản phẩm hợp lệ\n",
        rule_set.id,
        rule_set.product_sets.len()
    ))
}

pub fn rules(action: &RulesAction) -> Result<String, String> {
    match action {
        RulesAction::List => {
            let mut out = String::new();
            for rule_set in &loaded_rule_sets()? {
                for set in rule_set.product_sets.values() {
                    let _ = writeln!(
                        out,
                        "{}\t{}\t{} / {}\t{}",
                        set.number, set.name, set.sector, set.group, rule_set.id
                    );
                }
            }
            Ok(out)
        }
        RulesAction::Show { rule_set, number } => {
            Ok(show(find_set(&loaded_rule_sets()?, rule_set, *number)?))
        }
        RulesAction::Check { rule_set, dir } => check_rule_set(rule_set, dir),
    }
}

fn stars_mark(stars: Option<sao_scoring::Stars>) -> String {
    stars
        .map(|s| format!(" {}", "*".repeat(usize::from(s.get()))))
        .unwrap_or_default()
}

/// The scorecard as text, in the decision's order and wording.
fn show(set: &Scorecard) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}. Bộ sản phẩm: {}", set.number, set.name);
    let _ = writeln!(
        out,
        "Ngành: {} · Nhóm: {} · Cơ quan quản lý: {}",
        set.sector, set.group, set.ministry
    );
    for rule in &set.rejection_rules {
        let _ = writeln!(out, "{rule}");
    }
    for part in &set.parts {
        let _ = writeln!(
            out,
            "\nPhần {}: {} ({} điểm)",
            part.code, part.name, part.max
        );
        for group in &part.groups {
            let _ = writeln!(out, "  {}. {} ({})", group.code, group.name, group.max);
            for criterion in &group.criteria {
                if criterion.code.as_str() != group.code {
                    let _ = writeln!(
                        out,
                        "    {}. {} ({})",
                        criterion.code, criterion.name, criterion.max
                    );
                }
                for note in criterion
                    .notes
                    .iter()
                    .chain(&criterion.knockouts)
                    .chain(&criterion.condition)
                {
                    let _ = writeln!(out, "      {note}");
                }
                let mut index = 0;
                for case in &criterion.cases {
                    if let Some(title) = &case.title {
                        let _ = writeln!(
                            out,
                            "      {}. {title}",
                            case.label.as_deref().unwrap_or("")
                        );
                    }
                    for option in &case.options {
                        let _ = writeln!(
                            out,
                            "      [{index}] □ {}{} — {} điểm",
                            option.text,
                            stars_mark(option.stars),
                            option.points
                        );
                        index += 1;
                    }
                }
            }
        }
    }
    if !set.errata.is_empty() {
        let _ = writeln!(out, "\nĐính chính so với văn bản:");
        for e in &set.errata {
            let _ = writeln!(
                out,
                "  dòng {}: {}: \"{}\" → {} ({})",
                e.source_line, e.place, e.source_says, e.data_holds, e.note
            );
        }
    }
    out
}

/// `sao score`'s answer, fields in the order a reader expects.
#[derive(serde::Serialize)]
struct ScoreOutput<'a> {
    rule_set: &'a str,
    product_set: u32,
    level: &'a str,
    totals: &'a [u32],
    counted: Option<u64>,
    mean: Option<&'a str>,
    band: Option<sao_scoring::Stars>,
    star: Option<sao_scoring::Stars>,
    failed_minimums: Option<&'a std::collections::BTreeMap<u8, Vec<CriterionCode>>>,
    disqualified: bool,
    quorum: Option<&'a sao_scoring::council::QuorumCheck>,
    flags: &'a sao_scoring::council::Flags,
    next_step: Option<&'a sao_scoring::NextStep>,
}

/// Scores the sheets in `input` (a JSON array, one flat object per member).
pub fn score(args: &ScoreArgs, input: &str) -> Result<String, String> {
    let rule_sets = loaded_rule_sets()?;
    let scorecard = find_set(&rule_sets, &args.rules, args.product_set)?;
    let profiles = rules_catalog::profiles()?;
    let profile_id = args.profile.as_deref().unwrap_or(&args.rules);
    let profile = profiles
        .iter()
        .find(|p| p.id == profile_id)
        .ok_or_else(|| format!("không có quy trình \"{profile_id}\""))?;
    let level = match &args.level {
        Some(level) => level.clone(),
        None => profile
            .levels
            .first()
            .map(|l| l.code.clone())
            .ok_or("quy trình không có cấp nào")?,
    };
    let raw: Vec<Box<serde_json::value::RawValue>> = serde_json::from_str(input)
        .map_err(|e| format!("đầu vào không phải mảng JSON các phiếu: {e}"))?;
    let sheets: Vec<MemberSheet> = raw
        .iter()
        .enumerate()
        .map(|(member, text)| {
            serde_json::from_str(text.get())
                .map_err(|e| format!("phiếu của thành viên {member}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    let confirmed: BTreeSet<CriterionCode> = args
        .confirmed_knockouts
        .iter()
        .map(|code| CriterionCode::parse(code))
        .collect::<Result<_, _>>()?;
    let result = CouncilInput {
        scorecard,
        profile,
        level: &level,
        sheets: &sheets,
        members: args.members,
        chair: args.chair,
        confirmed_knockouts: &confirmed,
    }
    .evaluate()
    .map_err(|e| e.to_string())?;
    let outcome = result.outcome.as_ref();
    let output = ScoreOutput {
        rule_set: &args.rules,
        product_set: args.product_set,
        level: &level,
        totals: &result.totals,
        counted: outcome.map(|o| o.counted),
        mean: outcome.map(|o| o.mean.as_str()),
        band: outcome.map(|o| o.band),
        star: outcome.and_then(|o| o.star),
        failed_minimums: outcome.map(|o| &o.failed_minimums),
        disqualified: outcome.is_some_and(|o| o.disqualified),
        quorum: result.quorum.as_ref(),
        flags: &result.flags,
        next_step: outcome.map(|o| &o.next_step),
    };
    serde_json::to_string_pretty(&output).map_err(|e| e.to_string())
}
