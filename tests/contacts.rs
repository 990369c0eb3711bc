//! Contacts through the real binary on a book imported from a CRM-shaped file: HubSpot and
//! Salesforce contact exports (a BOM, quoted commas, several roles in one cell, bad rows), a
//! champion leaving as a triage reason and a timeline risk, touches naming people, the contact
//! factors, undo, and the champion-left playbook.

mod common;

use common::*;
use serde_json::Value;
use tend::config::Config;
use tend::store::Store;

fn book() -> CrmBook {
    CrmBook::new(40)
}

trait People {
    fn contacts(&self, account: &str) -> Vec<Value>;
    fn reasons(&self, account: &str) -> Vec<String>;
}

impl People for CrmBook {
    fn contacts(&self, account: &str) -> Vec<Value> {
        self.json(&["contact", "list", account])
    }
    fn reasons(&self, account: &str) -> Vec<String> {
        let report: Value =
            serde_json::from_str(&self.run(&["report", "triage", "--all", "--format", "json"])).unwrap();
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["account"] == account)
            .flat_map(|r| r["reasons"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()))
            .collect()
    }
}

#[test]
fn a_hubspot_export_imports_with_its_bom_quoted_commas_and_buying_roles() {
    let b = book();
    let hubspot = b.file(
        "hubspot.csv",
        "\u{feff}Record ID,First Name,Last Name,Email,Job Title,Associated Company,Buying Role,Create Date\n\
         1,Ana,Ruiz,ana@acme.com,\"VP, Operations\",Company 1,Champion;Decision Maker,2025-03-01\n\
         2,Bo,Lee,bo@acme.com,Analyst,Company 1,End User,2025-04-01\n\
         3,Cy,Vale,cy@acme.com,CFO,Company 1,Budget Holder,\n\
         4,Di,Ng,di@acme.com,,Company 1,Influencer,\n",
    );
    let out = b.run(&["import", "contacts", &hubspot]);
    assert!(out.contains("imported 4 contacts: 4 new"), "{out}");
    let people = b.contacts("CRM-0001");
    let role = |name: &str| people.iter().find(|p| p["name"] == name).unwrap()["role"].clone();
    assert_eq!(role("Ana Ruiz"), "champion", "the strongest of several");
    assert_eq!(role("Bo Lee"), "user");
    assert_eq!(role("Cy Vale"), "decision maker");
    assert_eq!(role("Di Ng"), Value::Null, "a role tend does not keep");
    assert_eq!(people.iter().find(|p| p["name"] == "Ana Ruiz").unwrap()["title"], "VP, Operations");
    let again = b.run(&["import", "contacts", &hubspot]);
    assert!(again.contains("0 new, 0 updated, 4 unchanged"), "{again}");
    // Next week's export: Bo's email moved to a new domain, Di gone from the CRM. Bo is the one
    // Bo Lee with a new email (he was added as a second Bo Lee), and Di is said, kept as she is.
    let next = b.file(
        "hubspot-next.csv",
        "Record ID,First Name,Last Name,Email,Job Title,Associated Company,Buying Role\n\
         1,Ana,Ruiz,ana@acme.com,\"VP, Operations\",Company 1,Champion;Decision Maker\n\
         2,Bo,Lee,bo.lee@acme.io,Analyst,Company 1,End User\n\
         3,Cy,Vale,cy@acme.com,CFO,Company 1,Budget Holder\n",
    );
    let out = b.run(&["import", "contacts", &next]);
    assert!(out.contains("0 new, 1 updated, 2 unchanged"), "{out}");
    assert!(
        out.contains("1 active contact of the file's accounts is not in it (Di Ng at Company 1): kept as they are"),
        "{out}"
    );
    let people = b.contacts("CRM-0001");
    assert_eq!(people.len(), 4, "{people:?}");
    assert_eq!(people.iter().find(|p| p["name"] == "Bo Lee").unwrap()["email"], "bo.lee@acme.io");

    // A Salesforce export names the account and the role its own way.
    let salesforce = b.file(
        "sf.csv",
        "Full Name,Title,Email,Account Name,Role\nEve Stone,CTO,eve@c2.com,Company 2,Executive Sponsor\n",
    );
    assert!(b.run(&["import", "contacts", &salesforce]).contains("1 new"));
    assert_eq!(b.contacts("CRM-0002")[0]["role"], "executive sponsor");
    // A "Persona" column is the role (a probe's Champions were dropped without a word), and a
    // column nothing reads is said.
    let personas = b.file(
        "personas.csv",
        "First Name,Last Name,Email,Company,Persona,Lifecycle Stage\nGil,Roe,gil@c2.com,Company 2,Champion,Customer\n",
    );
    let out = b.run(&["import", "contacts", &personas]);
    assert!(out.contains("1 new") && out.contains("columns not read: \"Lifecycle Stage\""), "{out}");
    assert!(!out.contains("\"Persona\"") && !out.contains("[import.columns]"), "{out}");
    assert!(b.contacts("CRM-0002").iter().any(|p| p["name"] == "Gil Roe" && p["role"] == "champion"));

    // A bad row refuses the file, naming line, column and value; nothing lands.
    let bad = b.file(
        "bad.csv",
        "First Name,Last Name,Email,Associated Company,Buying Role\n\
         Fay,Wu,fay@x.com,Company 3,Champion\n\
         Gus,Ho,gus at x,Company 3,\n\
         Hal,Ek,hal@x.com,Nowhere Inc,\n\
         Ivy,Ma,ivy@x.com,Company 3,Mascot\n",
    );
    let err = b.refused(&["import", "contacts", &bad]);
    assert!(
        err.contains("bad.csv:3: column \"Email\": value \"gus at x\": \"gus at x\" is not an email address"),
        "{err}"
    );
    assert!(err.contains("bad.csv:4: column \"Associated Company\": value \"Nowhere Inc\": unknown account"), "{err}");
    assert!(err.contains("bad.csv:5: column \"Buying Role\": value \"Mascot\": not a role"), "{err}");
}

#[test]
fn a_champion_leaving_is_a_reason_and_a_risk_until_a_new_one_comes() {
    let b = book();
    b.run(&["contact", "add", "CRM-0004", "Ana Ruiz", "--role", "champion", "--email", "ana@c4.com"]);
    assert!(!b.reasons("Company 4").iter().any(|r| r.contains("champion")));
    let out = b.run(&["contact", "left", "ana"]);
    assert!(out.contains("contact Ana Ruiz (champion) left Mon 2026-11-23"), "{out}");
    assert!(b.reasons("Company 4").contains(&"champion left: Ana Ruiz".to_string()), "{:?}", b.reasons("Company 4"));
    let timeline = b.run(&["log", "list", "CRM-0004"]);
    assert!(timeline.contains("risk") && timeline.contains("Ana Ruiz (champion) left"), "{timeline}");
    let err = b.refused(&["contact", "left", "ana"]);
    assert!(err.contains("Ana Ruiz already left on Mon 2026-11-23"), "{err}");
    // Undo brings her back; a new champion ends the reason too.
    assert!(b.run(&["undo"]).contains("Undone: Company 4"));
    assert!(!b.reasons("Company 4").iter().any(|r| r.contains("champion")));
    b.run(&["contact", "left", "ana"]);
    b.run(&["contact", "add", "CRM-0004", "Bo Lee", "--role", "champion"]);
    assert!(!b.reasons("Company 4").iter().any(|r| r.contains("champion")));
}

#[test]
fn bad_contact_input_is_refused_and_changes_nothing() {
    let b = book();
    b.run(&["contact", "add", "CRM-0005", "Ana Ruiz"]);
    b.run(&["contact", "add", "CRM-0006", "Ana Rios"]);
    let err = b.refused(&["contact", "add", "CRM-0005", "X", "--role", "mascot"]);
    assert!(err.contains("\"mascot\" is not a role"), "{err}");
    let err = b.refused(&["contact", "add", "CRM-0005", "X", "--email", "x at y"]);
    assert!(err.contains("is not an email address"), "{err}");
    let err = b.refused(&["contact", "left", "ana r"]);
    assert!(err.contains("Ana Ruiz") && err.contains("Ana Rios"), "two accounts' Anas: {err}");
    let err = b.refused(&["log", "touch", "CRM-0005", "call", "--with", "Zed"]);
    assert!(err.contains("--with: no contact is called \"Zed\""), "{err}");
    // Someone of another account is not among this one's people.
    let err = b.refused(&["log", "touch", "CRM-0005", "call", "--with", "Ana Rios"]);
    assert!(err.contains("no contact is called \"Ana Rios\""), "{err}");
    // A touch after someone left was not with them; before, it was.
    b.run(&["contact", "left", "ana ruiz", "--date", "-3d"]);
    let err = b.refused(&["log", "touch", "CRM-0005", "call", "--with", "ana"]);
    assert!(err.contains("Ana Ruiz left on Fri 2026-11-20"), "{err}");
    b.run(&["log", "touch", "CRM-0005", "call", "--with", "ana", "--date", "-5d"]);
}

const CONTACT_FACTORS: &str = r#"
[health.factors.has_champion]
label = "Has a champion"
source = "contacts"
transform = "has_role:champion"
weight = 2
better = "higher"
thresholds = [0.25, 0.5, 0.75]

[health.factors.sponsor_touch]
label = "Days since sponsor touch"
source = "touch:executive_sponsor"
transform = "days_since_last"
unit = "days"
weight = 1
better = "lower"
thresholds = [30, 60, 90]
"#;

#[test]
fn contacts_and_touches_with_a_role_are_factors_missing_until_someone_is_known() {
    let b = book();
    let config_path = b.file("tend.toml", CONTACT_FACTORS);
    let config = Config::from_toml(CONTACT_FACTORS, std::path::Path::new("tend.toml")).unwrap();
    let (champion, sponsor) =
        (config.health.catalog.id("has_champion").unwrap(), config.health.catalog.id("sponsor_touch").unwrap());
    let values = |day: &str| {
        let store = Store::open(&b.path).unwrap();
        let id = store.account_names().unwrap().into_iter().find(|(_, n)| n == "Company 9").unwrap().0;
        let d = tend::book::account_detail(&store, &config, id, day.parse().unwrap()).unwrap();
        (d.values.get(champion), d.values.get(sponsor))
    };
    assert_eq!(values("2026-11-23"), (None, None), "nobody known: both missing, not zero");
    let cfg = config_path.as_str();
    b.run(&["--config", cfg, "contact", "add", "CRM-0009", "Sam Ode", "--role", "executive_sponsor"]);
    assert_eq!(values("2026-11-23"), (Some(0.0), Some(0.0)), "a sponsor known today, no champion");
    b.run(&["--config", cfg, "contact", "add", "CRM-0009", "Ana Ruiz", "--role", "champion"]);
    b.run(&["--config", cfg, "log", "touch", "CRM-0009", "meeting", "--with", "sam", "--date", "-10d"]);
    b.run(&["--config", cfg, "log", "touch", "CRM-0009", "call", "--with", "ana", "--date", "-2d"]);
    assert_eq!(values("2026-11-23"), (Some(1.0), Some(10.0)), "the sponsor was last touched 10 days ago");
    assert_eq!(values("2026-12-03"), (Some(1.0), Some(20.0)));
    let timeline = b.run(&["log", "list", "CRM-0009"]);
    assert!(timeline.contains("with Sam Ode · meeting"), "{timeline}");
    // `config check` knows the new sources.
    let (ok, _, err) = tend_on(&b.path, &["--config", cfg, "config", "check"]);
    assert!(ok, "{err}");
}

#[test]
fn the_champion_left_playbook_opens_its_task_once() {
    let b = book();
    let cfg = b.file(
        "tend.toml",
        "[[playbooks]]\nname = \"Champion gone\"\ntrigger = \"champion_left\"\n\
         tasks = [{ title = \"Find a new champion\", due_days = 14 }]\n",
    );
    b.run(&["--config", &cfg, "contact", "add", "CRM-0008", "Ana Ruiz", "--role", "champion"]);
    let out = b.run(&["--config", &cfg, "contact", "left", "ana"]);
    assert!(out.contains("playbook \"Champion gone\" opened 1 task (a champion left)"), "{out}");
    let out = b.run(&["--config", &cfg, "contact", "add", "CRM-0008", "Bo Lee"]);
    assert!(!out.contains("playbook"), "still the same episode: {out}");
    let tasks: Value = serde_json::from_str(&b.run(&["task", "list", "--format", "json"])).unwrap();
    assert_eq!(tasks.as_array().unwrap().len(), 1);
    assert_eq!(tasks[0]["due"], "2026-12-07");
    assert_eq!(tasks[0]["playbook"], "Champion gone");
}

#[test]
fn every_contact_write_is_undone() {
    let b = book();
    b.run(&["contact", "add", "CRM-0010", "Ana Ruiz", "--role", "user"]);
    assert!(b.run(&["undo"]).contains("Undone: Company 10: contact Ana Ruiz (user) added"));
    assert!(b.contacts("CRM-0010").is_empty());
    b.run(&["contact", "add", "CRM-0010", "Ana Ruiz", "--role", "user"]);
    let out = b.run(&["contact", "set", "ana", "--role", "champion", "--title", "VP"]);
    assert!(out.contains("contact Ana Ruiz (champion) edited"), "{out}");
    b.run(&["undo"]);
    assert_eq!(b.contacts("CRM-0010")[0]["role"], "user");
    assert_eq!(b.contacts("CRM-0010")[0]["title"], Value::Null);
    b.run(&["contact", "delete", "ana"]);
    assert!(b.contacts("CRM-0010").is_empty());
    assert!(b.run(&["undo"]).contains("contact Ana Ruiz deleted"));
    assert_eq!(b.contacts("CRM-0010").len(), 1);
    // A touch with her, undone, takes the names with it.
    b.run(&["log", "touch", "CRM-0010", "call", "--with", "ana"]);
    b.run(&["undo"]);
    assert!(!b.run(&["log", "list", "CRM-0010"]).contains("with Ana"));
}

/// A person a file marks left without a day is dated the import's day, and that is said; the
/// same file imported again a week later keeps the day (it had moved the departure, and the news
/// of a champion gone, to each import's day).
#[test]
fn a_contact_left_without_a_day_is_said_and_keeps_its_day() {
    let b = book();
    let file = b.file(
        "people.csv",
        "Name,Email,Account Name,Role,Status\nCarla Patel,carla@c3.com,Company 3,Champion,Left\nDan Ode,dan@c3.com,Company 3,,Active\n",
    );
    let said = b.run(&["import", "contacts", &file]);
    assert!(
        said.contains("1 contact is marked left without a day (Carla Patel): dated 2026-11-23, this import's day"),
        "{said}"
    );
    let left_on = |b: &CrmBook| {
        let people = b.contacts("CRM-0003");
        people.iter().find(|p| p["name"] == "Carla Patel").map(|p| p["left"].clone()).unwrap()
    };
    assert_eq!(left_on(&b), "2026-11-23");
    let again = b.run(&["import", "contacts", &file, "--as-of", "2026-11-30"]);
    assert!(again.contains("0 new, 0 updated, 2 unchanged") && !again.contains("without a day"), "{again}");
    assert_eq!(left_on(&b), "2026-11-23");
}

#[test]
fn a_reimport_keeps_what_the_file_does_not_say_and_one_address_is_one_person() {
    let b = book();
    b.run(&["contact", "add", "CRM-0011", "Ana Ruiz", "--email", "ana@c11.com", "--title", "Head of Sales"]);
    b.run(&["contact", "left", "ana"]);
    // Someone else at the same address is refused: imports match people by it.
    let err = b.refused(&["contact", "add", "CRM-0011", "Zed Ox", "--email", "ANA@c11.com"]);
    assert!(err.contains("already the address of Ana Ruiz"), "{err}");
    let err = b.refused(&["contact", "add", "CRM-0011", "ana ruiz"]);
    assert!(err.contains("Ana Ruiz (contact 1) is already at this account"), "{err}");
    let err = b.refused(&["contact", "set", "ana"]);
    assert!(err.contains("say what to change"), "{err}");

    // A CRM export that does not know she left, nor her title, changes neither; a role it gives
    // is taken.
    let crm = b.file(
        "crm.csv",
        "Full Name,Email,Account Name,Role\nAna Ruiz,ana@c11.com,company 11,Champion\nAna Ruiz,ana@c11.com,Company 11,Champion\n",
    );
    let out = b.run(&["import", "contacts", &crm]);
    assert!(out.contains("0 new, 1 updated"), "the same person twice in a file is one: {out}");
    let ana = &b.contacts("CRM-0011")[0];
    assert_eq!(ana["status"], "left");
    assert_eq!(ana["title"], "Head of Sales");
    assert_eq!(ana["role"], "champion");
    assert!(b.run(&["import", "contacts", &crm]).contains("1 unchanged"));
    // An export of the book imports back unchanged, people who left included.
    let out = b.dir.path().join("back.csv");
    b.run(&["export", "contacts", "-o", out.to_str().unwrap()]);
    assert!(b.run(&["import", "contacts", out.to_str().unwrap()]).contains("0 new, 0 updated, 1 unchanged"));
}

#[test]
fn who_a_touch_was_with_exports_and_imports_back() {
    let b = book();
    b.run(&["contact", "add", "CRM-0012", "Ana Ruiz", "--role", "champion"]);
    b.run(&["contact", "add", "CRM-0012", "Bo Lee"]);
    b.run(&["log", "touch", "CRM-0012", "meeting", "--with", "ana", "--with", "bo"]);
    let contacts = b.file("contacts.csv", "");
    let logs = b.file("logs.csv", "");
    b.run(&["export", "contacts", "-o", &contacts]);
    b.run(&["export", "logs", "-o", &logs]);
    assert!(std::fs::read_to_string(&logs).unwrap().contains(",Ana Ruiz; Bo Lee"));

    let fresh = CrmBook::new(40);
    // Without the people first, the names are refused, line and column named.
    let err = fresh.refused(&["import", "logs", &logs]);
    assert!(err.contains("column \"with\": value \"Ana Ruiz\": no contact of the account"), "{err}");
    fresh.run(&["import", "contacts", &contacts]);
    fresh.run(&["import", "logs", &logs]);
    let timeline = fresh.run(&["log", "list", "CRM-0012"]);
    assert!(timeline.contains("with Ana Ruiz, Bo Lee · meeting"), "{timeline}");
}

/// A person the file adds to an account who is still an active contact of another (a champion
/// who moved to another customer) is said, and kept at both; the same file again says nothing.
#[test]
fn a_person_added_to_an_account_while_active_at_another_is_said() {
    let b = book();
    let first = b.file("c1.csv", "Account,Name,Email,Role\nCRM-0001,Ann Lee,ann@acme.com,champion\n");
    b.run(&["import", "contacts", &first]);
    let moved = b.file("c2.csv", "Account,Name,Email,Role\nCRM-0002,Ann Lee,ANN@acme.com,champion\n");
    let said = b.run(&["import", "contacts", &moved]);
    assert!(
        said.contains(
            "1 person new to an account is still an active contact of another (Ann Lee (ANN@acme.com): Company 1 -> \
             Company 2): kept at both"
        ),
        "{said}"
    );
    let active = |key: &str| {
        b.json(&["contact", "list", key]).iter().filter(|c| c["status"] == "active" && c["name"] == "Ann Lee").count()
    };
    assert_eq!((active("CRM-0001"), active("CRM-0002")), (1, 1));
    let again = b.run(&["import", "contacts", &moved]);
    assert!(!again.contains("still an active contact"), "{again}");
}

/// A survey export whose Respondent column holds the email, its survey named "Post-onboarding
/// NPS", imports as NPS answers of the accounts whose contacts have those emails (a probe's was
/// refused for want of an account column, then its survey as no kind of entry).
#[test]
fn a_survey_s_respondent_email_and_its_kind_anywhere_in_its_name_are_read() {
    let b = book();
    let file = b.file(
        "nps.csv",
        "Survey,Respondent,Rating,Submitted At\nPost-onboarding NPS,PRIYA@c7.com,9,2026-11-20 14:03\n",
    );
    // Before any contact has an email, the refusal says what the file needs: the contacts.
    let err = b.refused(&["import", "logs", &file]);
    assert!(
        err.contains("or import the contacts first (`tend import contacts`): each answer's account is found by its respondent's email (\"Respondent\")"),
        "{err}"
    );
    b.run(&["contact", "add", "CRM-0007", "Priya Raman", "--email", "priya@c7.com"]);
    let said = b.run(&["import", "logs", &file]);
    assert!(said.contains("1 new"), "{said}");
    let logs = b.run(&["log", "list", "CRM-0007"]);
    assert!(logs.lines().any(|l| l.contains("2026-11-20") && l.contains("nps")), "{logs}");
    // Two kinds in one name are none.
    let both = b.file("both.csv", "Survey,Respondent,Rating,Submitted At\nNPS and CSAT,priya@c7.com,9,2026-11-21\n");
    let err = b.refused(&["import", "logs", &both]);
    assert!(
        err.contains("\"NPS and CSAT\": not a kind tend knows, so read as a note, and a note has no score"),
        "{err}"
    );
}
