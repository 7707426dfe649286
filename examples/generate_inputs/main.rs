//! Writes the shipped `inputs/` data set: about 1,500 members of the ten Lombard
//! technology clusters and 300 projects over five calls, from a fixed seed, so the
//! files are the same on every run.
//!
//! `cargo run --example generate_inputs -- inputs` rewrites `inputs/soci.xlsx`,
//! `inputs/progetti.xlsx`, the projects' partners of `inputs/partner.xlsx` and the
//! monitoring targets of `inputs/obiettivi.xlsx`. The Mobilità cluster has, as of
//! 30/11/2026, exactly the POLI-AUTO composition (6 consortia, 20 large firms, 72
//! SMEs, 5 universities and research centres, 11 trade associations, 7 public
//! bodies); the Scienze della vita consolidation plan of the seeds is there with
//! 158.500,00 € and 114.944,00 €; the alliance of seed 004, "Punto Alleanze
//! Lombardia", with its eight partners, beside three other projects with partners
//! (one above its own category's cap, one whose shares do not add up); and a few
//! deliberate data problems show the issues section at work.
//!
//! `cargo run --release --example generate_inputs -- DIR --members N [--csv]`
//! writes a benchmark workload instead (see `workload.rs`).

pub(crate) mod workload;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::path::PathBuf;

const CLUSTERS: [(&str, usize); 10] = [
    ("Agrifood", 165),
    ("Aerospazio", 145),
    ("Chimica verde", 125),
    ("Energia", 180),
    ("Fabbrica intelligente", 240),
    ("Mobilità", 0),
    ("Scienze della vita", 210),
    ("Tecnologie per le smart communities", 140),
    ("Tecnologie per gli ambienti di vita", 115),
    ("Sistema Cosmetico", 50),
];

/// Category labels as a secretariat writes them, with weights for clusters other
/// than Mobilità.
const CATEGORIES: [(&str, u32); 7] = [
    ("Consorzi di imprese", 5),
    ("Grandi imprese", 15),
    ("PMI", 58),
    ("Università e centri di ricerca", 7),
    ("Associazioni di categoria", 6),
    ("Enti di diritto pubblico", 5),
    ("Altro", 4),
];

/// POLI-AUTO: 6/20/72/5/11/7, no "other".
const MOBILITY: [usize; 7] = [6, 20, 72, 5, 11, 7, 0];

const PROVINCES: [(&str, u32); 12] = [
    ("MI", 35),
    ("BG", 12),
    ("BS", 12),
    ("MB", 9),
    ("VA", 7),
    ("CO", 5),
    ("PV", 5),
    ("CR", 4),
    ("LC", 4),
    ("MN", 3),
    ("LO", 2),
    ("SO", 2),
];

const CALLS: [(&str, usize, f64); 5] = [
    ("Asse 1 Consolidamento CTL", 10, 0.70),
    ("Bando Ergon azione 2", 30, 0.50),
    ("Call Hub Ricerca e Innovazione", 90, 0.70),
    ("Bando Tech Fast Lombardia", 100, 0.60),
    ("Accordi per la ricerca e l'innovazione", 70, 0.80),
];

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn weighted<'a>(&mut self, items: &'a [(&'a str, u32)]) -> &'a str {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total as u64) as u32;
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        items[0].0
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Copy)]
struct Day(u16, u8, u8);

impl Day {
    fn random(rng: &mut Rng, from_year: u16, to_year: u16, to_month: u8) -> Day {
        loop {
            let year = from_year + rng.below((to_year - from_year + 1) as u64) as u16;
            let month = 1 + rng.below(12) as u8;
            if year == to_year && month > to_month {
                continue;
            }
            return Day(year, month, 1 + rng.below(28) as u8);
        }
    }

    fn key(self) -> (u16, u8, u8) {
        (self.0, self.1, self.2)
    }

    fn excel(self) -> Result<ExcelDateTime, XlsxError> {
        ExcelDateTime::from_ymd(self.0, self.1, self.2)
    }
}

struct Member {
    id: String,
    name: String,
    category: String,
    cluster: String,
    province: String,
    joined: Day,
    left: Option<Day>,
}

struct Project {
    cup: String,
    title: String,
    cluster: String,
    call: String,
    lead: String,
    value_cents: i64,
    financing_cents: i64,
    approved: Day,
    start: Day,
    end: Day,
    aid: &'static str,
}

const NAME_ROOTS: [&str; 24] = [
    "Meccanica",
    "Officine",
    "Tecnologie",
    "Sistemi",
    "Laboratori",
    "Componenti",
    "Innovazioni",
    "Soluzioni",
    "Materiali",
    "Elettronica",
    "Automazioni",
    "Biotech",
    "Ricerche",
    "Impianti",
    "Servizi",
    "Logistica",
    "Design",
    "Chimica",
    "Energie",
    "Alimentari",
    "Digitale",
    "Robotica",
    "Fonderie",
    "Plastiche",
];
const NAME_PLACES: [&str; 20] = [
    "Brembana",
    "Lariane",
    "Bresciane",
    "Lombarde",
    "Padane",
    "del Seprio",
    "Orobiche",
    "Valtellinesi",
    "Ambrosiane",
    "della Brianza",
    "del Garda",
    "Insubri",
    "Lomelline",
    "Mantovane",
    "Cremonesi",
    "del Ticino",
    "Camune",
    "Milanesi",
    "Bergamasche",
    "Pavesi",
];
const FORMS: [&str; 4] = ["S.r.l.", "S.p.A.", "S.r.l.s.", "Soc. Coop."];
const UNIVERSITIES: [&str; 9] = [
    "Politecnico di Milano",
    "Università degli Studi di Milano",
    "Università degli Studi di Milano-Bicocca",
    "Università degli Studi di Pavia",
    "Università degli Studi di Brescia",
    "Università degli Studi di Bergamo",
    "Università dell'Insubria",
    "Consiglio Nazionale delle Ricerche – sede di Milano",
    "Fondazione Istituto Italiano di Tecnologia – Centro di Milano",
];
const ASSOCIATIONS: [&str; 8] = [
    "Assolombarda",
    "Confindustria Lecco e Sondrio",
    "Confindustria Como",
    "Confindustria Alto Milanese",
    "Confindustria Monza e Brianza",
    "Unione degli Industriali della Provincia di Pavia",
    "Confartigianato Lombardia",
    "CNA Lombardia",
];
const PUBLIC_BODIES: [&str; 8] = [
    "Provincia di Milano",
    "Provincia di Bergamo",
    "Provincia di Brescia",
    "Provincia di Cremona",
    "Provincia di Mantova",
    "Camera di Commercio di Milano Monza Brianza Lodi",
    "Comune di Pavia",
    "Comune di Lecco",
];

fn name_for(rng: &mut Rng, category: &str, serial: usize) -> String {
    match category {
        "Università e centri di ricerca" => rng.pick(&UNIVERSITIES).to_string(),
        "Associazioni di categoria" => rng.pick(&ASSOCIATIONS).to_string(),
        "Enti di diritto pubblico" => rng.pick(&PUBLIC_BODIES).to_string(),
        "Consorzi di imprese" => format!(
            "Consorzio {} {}",
            rng.pick(&NAME_ROOTS),
            rng.pick(&NAME_PLACES)
        ),
        "Altro" => format!(
            "Fondazione {} {}",
            rng.pick(&NAME_ROOTS),
            rng.pick(&NAME_PLACES)
        ),
        _ => format!(
            "{} {} {} {}",
            rng.pick(&NAME_ROOTS),
            rng.pick(&NAME_PLACES),
            serial % 97 + 1,
            rng.pick(&FORMS)
        ),
    }
}

fn vat(rng: &mut Rng) -> String {
    format!("{:011}", rng.below(100_000_000_000))
}

fn member(rng: &mut Rng, cluster: &str, category: &str, serial: usize) -> Member {
    let joined = Day::random(rng, 2014, 2026, 10);
    Member {
        id: vat(rng),
        name: name_for(rng, category, serial),
        category: category.to_string(),
        cluster: cluster.to_string(),
        province: rng.weighted(&PROVINCES).to_string(),
        joined,
        left: None,
    }
}

/// A date after `joined` and before 30/11/2026.
fn leaving_day(rng: &mut Rng, joined: Day) -> Day {
    loop {
        let day = Day::random(rng, joined.0, 2026, 11);
        if day.key() > joined.key() && day.key() < (2026, 11, 30) {
            return day;
        }
    }
}

fn members(rng: &mut Rng) -> Vec<Member> {
    let mut out = Vec::new();
    for (cluster, size) in CLUSTERS {
        if cluster == "Mobilità" {
            for (index, count) in MOBILITY.iter().enumerate() {
                for _ in 0..*count {
                    let serial = out.len();
                    out.push(member(rng, cluster, CATEGORIES[index].0, serial));
                }
            }
            // Former members and one who joins next month: not counted in 2026-11.
            for index in [2, 2, 1, 2, 4, 2, 0, 2] {
                let serial = out.len();
                let mut former = member(rng, cluster, CATEGORIES[index].0, serial);
                former.left = Some(leaving_day(rng, former.joined));
                out.push(former);
            }
            let serial = out.len();
            let mut newcomer = member(rng, cluster, "PMI", serial);
            newcomer.joined = Day(2026, 12, 1);
            out.push(newcomer);
            continue;
        }
        for _ in 0..size {
            let category = rng.weighted(&CATEGORIES).to_string();
            let serial = out.len();
            let mut m = member(rng, cluster, &category, serial);
            if rng.chance(8) {
                m.left = Some(leaving_day(rng, m.joined));
            }
            out.push(m);
        }
    }
    add_member_problems(rng, &mut out);
    out
}

/// The deliberate problems: an unknown category, a misspelt cluster, a member listed
/// twice in Mobilità.
fn add_member_problems(rng: &mut Rng, out: &mut Vec<Member>) {
    let mut unknown = member(rng, "Energia", "PMI", out.len());
    unknown.category = "Fondazione di partecipazione".into();
    unknown.name = "Fondazione Energia Futura".into();
    out.insert(400, unknown);
    let mut misspelt = member(rng, "Aerospazio", "PMI", out.len());
    misspelt.cluster = "Aerospazo".into();
    out.insert(900, misspelt);
    let original = out
        .iter()
        .position(|m| m.cluster == "Mobilità" && m.category == "PMI")
        .expect("Mobilità SMEs");
    let twin = Member {
        left: None,
        ..clone_member(&out[original])
    };
    out.insert(1200, twin);
}

fn clone_member(m: &Member) -> Member {
    Member {
        id: m.id.clone(),
        name: m.name.clone(),
        category: m.category.clone(),
        cluster: m.cluster.clone(),
        province: m.province.clone(),
        joined: m.joined,
        left: m.left,
    }
}

const THEMES: [&str; 16] = [
    "Piattaforma digitale per",
    "Sviluppo sperimentale di",
    "Ricerca industriale su",
    "Dimostratore di",
    "Rete di laboratori per",
    "Filiera integrata per",
    "Prototipo di",
    "Servizi avanzati per",
    "Tecnologie abilitanti per",
    "Hub di competenze su",
    "Materiali innovativi per",
    "Sensoristica per",
    "Gemello digitale per",
    "Processi sostenibili per",
    "Intelligenza artificiale per",
    "Economia circolare nella",
];
const SUBJECTS: [&str; 12] = [
    "la manifattura additiva",
    "la mobilità elettrica",
    "la diagnostica precoce",
    "l'agricoltura di precisione",
    "l'efficienza energetica degli edifici",
    "la chimica da biomasse",
    "i sistemi aerospaziali leggeri",
    "la cosmetica sostenibile",
    "le comunità energetiche",
    "l'assistenza domiciliare",
    "la logistica urbana",
    "il riciclo delle plastiche",
];

fn projects(rng: &mut Rng, members: &[Member]) -> Vec<Project> {
    let mut out = Vec::new();
    let mut serial = 0u64;
    for (call, count, cap) in CALLS {
        for (_, (own_cluster, _)) in (0..count).zip(CLUSTERS.iter().cycle()) {
            serial += 1;
            let cluster = if call.starts_with("Asse 1") {
                *own_cluster
            } else {
                rng.pick(&CLUSTERS).0
            };
            let candidates: Vec<&Member> = members
                .iter()
                .filter(|m| m.cluster == cluster && m.left.is_none())
                .collect();
            let lead = rng.pick(&candidates);
            let value_cents = (50_000 + rng.below(2_950_000) as i64) * 100 / 500 * 500;
            let factor = if rng.chance(6) {
                100 + rng.below(6) as i64
            } else {
                70 + rng.below(30) as i64
            };
            let allowed = allowed_financing(call, cap, &lead.category, value_cents);
            let financing_cents =
                (allowed as f64 * factor as f64 / 100.0 / 100.0).round() as i64 * 100;
            let approved = Day::random(rng, 2023, 2026, 11);
            let start = Day(approved.0, approved.1, 28.min(approved.2 + 1));
            out.push(Project {
                cup: format!(
                    "E{}{}B{:02}{:09}",
                    4 + serial % 5,
                    serial % 10,
                    approved.0 % 100,
                    10_000 + serial * 37
                ),
                title: format!("{} {}", rng.pick(&THEMES), rng.pick(&SUBJECTS)),
                cluster: cluster.to_string(),
                call: call.to_string(),
                lead: lead.id.clone(),
                value_cents,
                financing_cents,
                approved,
                start,
                end: Day(start.0 + 2, start.1, start.2),
                aid: if call.starts_with("Bando Ergon") {
                    "de minimis"
                } else {
                    "GBER art. 25"
                },
            });
        }
    }
    let seed = out
        .iter_mut()
        .find(|p| p.cluster == "Scienze della vita" && p.call.starts_with("Asse 1"))
        .expect("seed");
    seed.title = "Piano di Consolidamento Cluster Lombardo Scienze della vita".into();
    seed.value_cents = 15_850_000;
    seed.financing_cents = 11_494_400;
    seed.approved = Day(2026, 11, 12);
    add_de_minimis_case(&mut out);
    let over = out
        .iter_mut()
        .find(|p| p.call.starts_with("Bando Tech Fast"))
        .expect("a Tech Fast project");
    over.financing_cents = over.value_cents + 1_250_000;
    out
}

/// The financing the shipped `consolida.toml` allows, so that the generated
/// projects stay mostly within their caps and a few exceed them on purpose.
fn allowed_financing(call: &str, cap: f64, lead_category: &str, value_cents: i64) -> i64 {
    let ratio = match (call.starts_with("Call Hub"), lead_category) {
        (true, "Grandi imprese") => 0.50,
        _ => cap,
    };
    let grant_cents = match call {
        c if c.starts_with("Bando Ergon") => 20_000_000,
        c if c.starts_with("Bando Tech Fast") => 50_000_000,
        _ => i64::MAX,
    };
    ((value_cents as f64 * ratio) as i64).min(grant_cents)
}

/// One member leads two de minimis projects of the Ergon call within three years,
/// above the 300.000,00 € ceiling, so the de minimis check has something to show.
fn add_de_minimis_case(projects: &mut [Project]) {
    let ergon: Vec<usize> = (0..projects.len())
        .filter(|&i| projects[i].call.starts_with("Bando Ergon"))
        .take(2)
        .collect();
    let (first, second) = (ergon[0], ergon[1]);
    projects[second].lead = projects[first].lead.clone();
    projects[first].approved = Day(2025, 3, 14);
    projects[second].approved = Day(2026, 6, 9);
    for i in [first, second] {
        projects[i].start = Day(projects[i].approved.0, projects[i].approved.1, 20);
        projects[i].end = Day(projects[i].approved.0 + 2, projects[i].approved.1, 20);
    }
    let total = projects[first].financing_cents + projects[second].financing_cents;
    assert!(
        total > 30_000_000,
        "the de minimis case needs more than 300.000,00 €"
    );
}

/// A partner of a project: its share of the cost and of the financing, in
/// cents, or as a percentage of the project's value and financing.
struct PartnerRow {
    project: String,
    member: String,
    name: String,
    cost: Share,
    financing: Share,
}

#[derive(Clone, Copy)]
enum Share {
    Cents(i64),
    Percent(u32),
}

/// The members of the alliance of seed 004, lead first, with their category
/// and their shares of the project's cost and financing in euros: 45 % each.
const PAL: [(&str, &str, i64, i64); 8] = [
    ("Assolombarda", "Associazioni di categoria", 100_000, 45_000),
    (
        "Confindustria Lecco",
        "Associazioni di categoria",
        60_000,
        27_000,
    ),
    (
        "Confindustria Alto Milanese",
        "Associazioni di categoria",
        40_000,
        18_000,
    ),
    (
        "Confindustria Como",
        "Associazioni di categoria",
        40_000,
        18_000,
    ),
    (
        "Confindustria Monza e Brianza",
        "Associazioni di categoria",
        40_000,
        18_000,
    ),
    (
        "Unione degli Industriali della Provincia di Pavia",
        "Associazioni di categoria",
        40_000,
        18_000,
    ),
    (
        "Politecnico di Milano – Ufficio per il trasferimento delle conoscenze (TTO)",
        "Università e centri di ricerca",
        50_000,
        22_500,
    ),
    ("ACF S.p.A.", "PMI", 30_000, 13_500),
];

/// The partners sheet: the alliance of seed 004 ("Punto Alleanze Lombardia",
/// Bando Ergon azione 2, led by Assolombarda), which takes the place of an
/// Ergon project (the seed gives no figures: 400.000,00 € of value and
/// 180.000,00 € of financing, within the call's 50 % and 200.000,00 €); a Call
/// Hub project with a large enterprise above its own category's 50 %; a Tech
/// Fast project whose financing shares miss 1.000,00 €; and an Accordi project
/// whose shares are percentages. The partners are members that lead no project,
/// renamed where the seed names them, so the counts stay as they were.
fn add_alliances(members: &mut [Member], projects: &mut [Project]) -> Vec<PartnerRow> {
    let leads: std::collections::HashSet<String> =
        projects.iter().map(|p| p.lead.clone()).collect();
    let mut taken: Vec<usize> = Vec::new();
    let mut pick = |members: &[Member], category: &str| -> usize {
        let once = |id: &str| members.iter().filter(|m| m.id == id).count() == 1;
        let index = (0..members.len())
            .find(|&i| {
                let m = &members[i];
                m.category == category
                    && m.left.is_none()
                    && m.joined.key() < (2026, 11, 1)
                    && m.cluster != "Aerospazo"
                    && !leads.contains(&m.id)
                    && !taken.contains(&i)
                    && once(&m.id)
            })
            .expect("a member to be a partner");
        taken.push(index);
        index
    };
    let mut rows = Vec::new();
    // PAL takes the place of the first Ergon project after the de minimis case's
    // two that is within its cap and outside Scienze della vita (whose
    // financing ratio has a target).
    let pal = (0..projects.len())
        .filter(|&i| projects[i].call.starts_with("Bando Ergon"))
        .skip(2)
        .find(|&i| {
            let p = &projects[i];
            let allowed = allowed_financing(&p.call, 0.50, "", p.value_cents);
            p.cluster != "Scienze della vita" && p.financing_cents <= allowed
        })
        .expect("an Ergon project");
    let project = &mut projects[pal];
    project.title = "Punto Alleanze Lombardia (PAL)".into();
    project.value_cents = PAL.iter().map(|p| p.2).sum::<i64>() * 100;
    project.financing_cents = PAL.iter().map(|p| p.3).sum::<i64>() * 100;
    for (name, category, cost, financing) in PAL {
        let member = &mut members[pick(members, category)];
        member.name = name.to_string();
        if rows.is_empty() {
            project.lead = member.id.clone();
        }
        rows.push(PartnerRow {
            project: project.cup.clone(),
            member: member.id.clone(),
            name: member.name.clone(),
            cost: Share::Cents(cost * 100),
            financing: Share::Cents(financing * 100),
        });
    }
    let lead_category = |members: &[Member], p: &Project| {
        members
            .iter()
            .find(|m| m.id == p.lead)
            .map(|m| m.category.clone())
    };
    let find = |projects: &[Project],
                members: &[Member],
                call: &str,
                fits: &dyn Fn(&Project, &str) -> bool| {
        (0..projects.len())
            .find(|&i| {
                let p = &projects[i];
                p.call.starts_with(call)
                    && p.approved.key() <= (2026, 11, 30)
                    && lead_category(members, p).is_some_and(|c| fits(p, &c))
            })
            .expect("a project for the partners")
    };
    let split = |cents: i64, tenths: i64| cents * tenths / 10 / 100 * 100;
    let row = |members: &[Member], p: &Project, member: usize, cost, financing| PartnerRow {
        project: p.cup.clone(),
        member: members[member].id.clone(),
        name: members[member].name.clone(),
        cost,
        financing,
    };
    // Call Hub, an SME leading at most 60 %: a large enterprise with 30 % of the
    // cost financed at 60 %, above the 50 % of its category; a university with
    // 20 % at 50 %; the lead the rest.
    let hub = find(projects, members, "Call Hub", &|p, category| {
        category == "PMI" && p.financing_cents * 100 <= p.value_cents * 60
    });
    let p = &projects[hub];
    let lead = members.iter().position(|m| m.id == p.lead).unwrap();
    let (large, university) = (
        pick(members, "Grandi imprese"),
        pick(members, "Università e centri di ricerca"),
    );
    let (c2, c3) = (split(p.value_cents, 3), split(p.value_cents, 2));
    let (f2, f3) = (c2 * 6 / 10, c3 / 2);
    let (c1, f1) = (p.value_cents - c2 - c3, p.financing_cents - f2 - f3);
    assert!(f1 * 100 <= c1 * 70, "the lead stays within its cap");
    rows.push(row(members, p, lead, Share::Cents(c1), Share::Cents(f1)));
    rows.push(row(members, p, large, Share::Cents(c2), Share::Cents(f2)));
    rows.push(row(
        members,
        p,
        university,
        Share::Cents(c3),
        Share::Cents(f3),
    ));
    // Tech Fast, within its cap: half, three tenths and a fifth, the last
    // partner's financing 1.000,00 € short of its part.
    let tech = find(projects, members, "Bando Tech Fast", &|p, category| {
        p.financing_cents <= allowed_financing(&p.call, 0.60, category, p.value_cents)
    });
    let p = &projects[tech];
    let lead = members.iter().position(|m| m.id == p.lead).unwrap();
    let (second, third) = (pick(members, "PMI"), pick(members, "PMI"));
    let (c2, c3) = (split(p.value_cents, 3), split(p.value_cents, 2));
    let (f2, f3) = (split(p.financing_cents, 3), split(p.financing_cents, 2));
    let (c1, f1) = (p.value_cents - c2 - c3, p.financing_cents - f2 - f3);
    rows.push(row(members, p, lead, Share::Cents(c1), Share::Cents(f1)));
    rows.push(row(members, p, second, Share::Cents(c2), Share::Cents(f2)));
    rows.push(row(
        members,
        p,
        third,
        Share::Cents(c3),
        Share::Cents(f3 - 100_000),
    ));
    // Accordi, within its cap: 60 % and 40 % of both.
    let accordi = find(projects, members, "Accordi", &|p, category| {
        p.financing_cents <= allowed_financing(&p.call, 0.80, category, p.value_cents)
    });
    let p = &projects[accordi];
    let lead = members.iter().position(|m| m.id == p.lead).unwrap();
    let consortium = pick(members, "Consorzi di imprese");
    rows.push(row(
        members,
        p,
        lead,
        Share::Percent(60),
        Share::Percent(60),
    ));
    rows.push(row(
        members,
        p,
        consortium,
        Share::Percent(40),
        Share::Percent(40),
    ));
    rows
}

fn write_members(members: &[Member], path: &PathBuf) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties("Elenco soci dei Cluster Tecnologici Lombardi")?);
    let sheet = workbook.add_worksheet().set_name("Soci")?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string_with_format(
        0,
        0,
        "Elenco soci dei Cluster Tecnologici Lombardi – aggiornato al 21/11/2026",
        &bold,
    )?;
    let headers = [
        "Codice fiscale / P.IVA",
        "Denominazione",
        "Categoria",
        "Cluster",
        "Provincia",
        "Data adesione",
        "Data recesso",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, *header, &bold)?;
    }
    for (i, m) in members.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string(row, 0, &m.id)?;
        sheet.write_string(row, 1, &m.name)?;
        sheet.write_string(row, 2, &m.category)?;
        sheet.write_string(row, 3, &m.cluster)?;
        sheet.write_string(row, 4, &m.province)?;
        sheet.write_datetime_with_format(row, 5, m.joined.excel()?, &date)?;
        if let Some(left) = m.left {
            sheet.write_datetime_with_format(row, 6, left.excel()?, &date)?;
        }
    }
    for (col, width) in [14, 48, 30, 34, 10, 14, 14].iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    workbook.save(path)
}

fn write_projects(projects: &[Project], path: &PathBuf) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(
        "Progetti finanziati dei Cluster Tecnologici Lombardi",
    )?);
    let sheet = workbook.add_worksheet().set_name("Progetti")?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let money = Format::new().set_num_format("#,##0.00");
    let headers = [
        "CUP",
        "Titolo",
        "Cluster",
        "Bando",
        "Capofila",
        "Valore progetto",
        "Finanziamento",
        "Data approvazione",
        "Data avvio",
        "Data fine",
        "Tipo aiuto",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
    }
    for (i, p) in projects.iter().enumerate() {
        let row = 1 + i as u32;
        sheet.write_string(row, 0, &p.cup)?;
        sheet.write_string(row, 1, &p.title)?;
        sheet.write_string(row, 2, &p.cluster)?;
        sheet.write_string(row, 3, &p.call)?;
        sheet.write_string(row, 4, &p.lead)?;
        sheet.write_number_with_format(row, 5, p.value_cents as f64 / 100.0, &money)?;
        sheet.write_number_with_format(row, 6, p.financing_cents as f64 / 100.0, &money)?;
        sheet.write_datetime_with_format(row, 7, p.approved.excel()?, &date)?;
        sheet.write_datetime_with_format(row, 8, p.start.excel()?, &date)?;
        sheet.write_datetime_with_format(row, 9, p.end.excel()?, &date)?;
        sheet.write_string(row, 10, p.aid)?;
    }
    for (col, width) in [18, 60, 34, 36, 14, 16, 16, 14, 14, 14, 14]
        .iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save(path)
}

fn write_partners(partners: &[PartnerRow], path: &PathBuf) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(
        "Partner dei progetti finanziati dei Cluster Tecnologici Lombardi",
    )?);
    let sheet = workbook.add_worksheet().set_name("Partner")?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    sheet.write_string_with_format(
        0,
        0,
        "Partner dei progetti finanziati – aggiornato al 21/11/2026",
        &bold,
    )?;
    let headers = [
        "CUP",
        "Partner",
        "Denominazione",
        "Quota di costo",
        "Quota di contributo",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, *header, &bold)?;
    }
    for (i, p) in partners.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string(row, 0, &p.project)?;
        sheet.write_string(row, 1, &p.member)?;
        sheet.write_string(row, 2, &p.name)?;
        for (col, share) in [(3, p.cost), (4, p.financing)] {
            match share {
                Share::Cents(cents) => {
                    sheet.write_number_with_format(row, col, cents as f64 / 100.0, &money)?
                }
                Share::Percent(percent) => sheet.write_string(row, col, format!("{percent}%"))?,
            };
        }
    }
    for (col, width) in [18, 14, 60, 16, 18].iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    workbook.save(path)
}

/// The targets the secretariat keeps beside its member lists, one row per
/// point: the earliest month of a cluster's indicator is its baseline (blank:
/// computed from the data), the latest its target, the others milestones.
/// The other clusters' targets are in `consolida.toml`.
/// A point: cluster, indicator, month (year, month), value.
type TargetPoint = (&'static str, &'static str, (u16, u8), Option<f64>);

const TARGETS: [TargetPoint; 8] = [
    ("Chimica verde", "Soci", (2025, 12), None),
    ("Chimica verde", "Soci", (2026, 6), Some(115.0)),
    ("Chimica verde", "Soci", (2026, 12), Some(118.0)),
    (
        "Tecnologie per gli ambienti di vita",
        "Soci",
        (2025, 12),
        None,
    ),
    (
        "Tecnologie per gli ambienti di vita",
        "Soci",
        (2026, 12),
        Some(110.0),
    ),
    (
        "Tecnologie per le smart communities",
        "Nuovi soci",
        (2025, 12),
        None,
    ),
    (
        "Tecnologie per le smart communities",
        "Nuovi soci",
        (2026, 12),
        Some(6.0),
    ),
    ("Sistema Cosmetico", "Quota PMI", (2026, 1), Some(0.70)),
];

/// The last point of Sistema Cosmetico's share of SMEs, a percentage cell.
const COSMETICS_SHARE_TARGET: ((u16, u8), f64) = ((2027, 12), 0.75);

fn write_targets(path: &PathBuf) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(
        "Obiettivi di monitoraggio dei Cluster Tecnologici Lombardi",
    )?);
    let sheet = workbook.add_worksheet().set_name("Obiettivi")?;
    let bold = Format::new().set_bold();
    let month = Format::new().set_num_format("mm/yyyy");
    let percent = Format::new().set_num_format("0%");
    sheet.write_string_with_format(0, 0, "Obiettivi di monitoraggio 2026–2027", &bold)?;
    for (col, header) in ["Cluster", "Indicatore", "Mese", "Valore"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(2, col as u16, *header, &bold)?;
    }
    let last_day = |(year, month): (u16, u8)| {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        ExcelDateTime::from_ymd(year, month, days)
    };
    let mut row = 3;
    for (cluster, indicator, at, value) in TARGETS {
        sheet.write_string(row, 0, cluster)?;
        sheet.write_string(row, 1, indicator)?;
        sheet.write_datetime_with_format(row, 2, last_day(at)?, &month)?;
        if let Some(value) = value {
            if indicator.starts_with("Quota") {
                sheet.write_number_with_format(row, 3, value, &percent)?;
            } else {
                sheet.write_number(row, 3, value)?;
            }
        }
        row += 1;
    }
    let (at, share) = COSMETICS_SHARE_TARGET;
    sheet.write_string(row, 0, "Sistema Cosmetico")?;
    sheet.write_string(row, 1, "Quota PMI")?;
    sheet.write_datetime_with_format(row, 2, last_day(at)?, &month)?;
    sheet.write_number_with_format(row, 3, share, &percent)?;
    for (col, width) in [36, 16, 10, 12].iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    workbook.save(path)
}

fn properties(title: &str) -> Result<DocProperties, XlsxError> {
    let created = ExcelDateTime::from_ymd(2026, 11, 21)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("Segreteria CTL")
        .set_creation_datetime(&created))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().cloned().unwrap_or_else(|| "inputs".into()));
    if let Some(at) = args.iter().position(|a| a == "--members") {
        let members = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .ok_or("--members needs a number of member rows")?;
        let csv = args.iter().any(|a| a == "--csv");
        return workload::run(&dir, &workload::Options { members, csv });
    }
    std::fs::create_dir_all(&dir)?;
    let (members, projects, partners) = shipped();
    write_members(&members, &dir.join("soci.xlsx"))?;
    write_projects(&projects, &dir.join("progetti.xlsx"))?;
    write_partners(&partners, &dir.join("partner.xlsx"))?;
    write_targets(&dir.join("obiettivi.xlsx"))?;
    eprintln!(
        "{} members, {} projects, {} partners written to {}",
        members.len(),
        projects.len(),
        partners.len(),
        dir.display()
    );
    Ok(())
}

/// The shipped data set: the members, the projects and their partners.
fn shipped() -> (Vec<Member>, Vec<Project>, Vec<PartnerRow>) {
    let mut rng = Rng(20_261_130);
    let mut members = members(&mut rng);
    let mut projects = projects(&mut rng, &members);
    let partners = add_alliances(&mut members, &mut projects);
    (members, projects, partners)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator without options writes exactly the shipped inputs.
    #[test]
    fn the_default_output_is_the_shipped_inputs() {
        let dir = std::env::temp_dir().join(format!("generate-inputs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let (members, projects, partners) = shipped();
        write_members(&members, &dir.join("soci.xlsx")).expect("soci.xlsx");
        write_projects(&projects, &dir.join("progetti.xlsx")).expect("progetti.xlsx");
        write_partners(&partners, &dir.join("partner.xlsx")).expect("partner.xlsx");
        write_targets(&dir.join("obiettivi.xlsx")).expect("obiettivi.xlsx");
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs");
        for name in [
            "soci.xlsx",
            "progetti.xlsx",
            "partner.xlsx",
            "obiettivi.xlsx",
        ] {
            let written = std::fs::read(dir.join(name)).expect("written file");
            let expected = std::fs::read(shipped.join(name)).expect("shipped file");
            assert!(written == expected, "{name} differs from inputs/{name}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
