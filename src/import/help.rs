//! What `tend import --help` (and `tend help import KIND`) says each kind of file needs: the
//! columns read, by the headers they may come under. The account headers are the importer's own
//! alias table, so this list cannot drift from what is read.

use super::columns::{AccountField, aliases_of};

/// The account fields worth naming in help, in the order a CRM export has them.
const ACCOUNT_FIELDS: [(AccountField, &str); 19] = [
    (AccountField::ExternalId, "what a re-import matches on"),
    (AccountField::Name, "needed, or an External ID to name it by"),
    (AccountField::Csm, ""),
    (AccountField::Arr, "money as $12,000.50, 12.000,50 EUR, €1.2k"),
    (AccountField::Mrr, "ARR is 12 times it"),
    (AccountField::Currency, ""),
    (AccountField::Plan, ""),
    (AccountField::CustomerSince, "journeys start there"),
    (AccountField::RenewalDate, ""),
    (AccountField::Stage, "onboarding, adoption, renewal, expansion, advocacy"),
    (AccountField::Status, "active, churned, renewed; a CRM type; yes/no"),
    (AccountField::ChurnedOn, ""),
    (AccountField::OutcomeDate, "the day a file's renewal or churn happened"),
    (AccountField::ExpectedUsage, "what Usage vs expected compares usage with"),
    (AccountField::VolumeScore, "1-4; with the next two, segments by scores"),
    (AccountField::AdvocacyScore, "1-4"),
    (AccountField::BrandScore, "1-4"),
    (AccountField::Tags, ""),
    (AccountField::Notes, "found by `tend search`"),
];

/// The other kinds' columns, as each importer names them (needed before the `;`).
const OTHER_KINDS: &str = "\
metrics      Long: Account, Metric, Date, Value (one sample a row).
             Wide: Account, Date, then one column per metric (\"Active Users\" is active_users,
             as a long file's metric is where a health factor reads that name).
             The date may be headed Day, Week, Week Starting, Week Ending, Month, Period End,
             Created At.
{METRICS}
logs         Account, Kind, Date; Score, Channel, Title, Closed, Note, CSM (or By, Author),
             With.
             Kind: sentiment (score 1-10), touch (channel call, email, meeting, qbr, onsite,
             chat), nps (0-10), csat (1-5), ces (1-7), bug and risk (a title; Closed when
             cleared), note (its words in Note, a subject in Title: no touch and no score).
             A CRM's activity type that is a channel (Call, QBR, Zoom) is a touch on it, and a
             survey named by its kind (NPS Q4, Post-onboarding NPS) is that kind of answer.
             A survey export's Survey, Rating, Respondent and Submitted At read as they are;
             without an Account column, each answer's account is the one whose contact has its
             respondent's Email, or the Respondent's where it is an address (import the
             contacts first);
             a CRM activity export's Activity Type, Activity Date, Comments (or Description) and
             Assigned To (the CSM) too, its account by Associated Company or Related To.
             A Sentiment column (1-10, or positive, neutral, negative) logs a sentiment of the
             row's day beside its entry (a call and how it went), or is a sentiment row's score.
             Sentiments on 1-5: --sentiment-scale 5 reads them onto 1-10 (3 is 5, 5 is 10).
             A CRM's Note rows are notes, save one with a Sentiment, which is that sentiment;
             its Task rows are left out and counted (`tend import tasks` reads them).
tickets      A help desk's export, a row a ticket: Account (or Organization, Company), Created
             (or Opened, Created At; a timestamp's day); Ticket ID, where given, counts a ticket
             listed twice once. Counted a day as the support_tickets metric; every live account
             with no ticket in the file's days counts 0.
goals        Account, Goal, Status, Date; Measure, Target (the day it is due by), Owner
             (customer or vendor), Note.
             One row per status a goal has had: on track, at risk, off track, achieved, dropped.
milestones   Account, Journey, Milestone, Due; Done (the day it was done), Note.
tasks        Account, Task, Due; Status (open, done, dropped), Closed, Owner, Playbook, Created,
             Note. A CRM's task export reads as it is: Task Title (or Subject), Due Date, Status
             (Not Started, In Progress, Completed), Assigned To, Associated Company, Comments.
contacts     Account, Name (or First Name and Last Name); Email, Title, Role (or Persona),
             Status, Left, Created, Note. HubSpot's and Salesforce's contact exports read as
             they are.

A book moved by its exports (`tend export KIND`) imports accounts first, then contacts (log
entries name the people they were with), then metrics, logs, goals, milestones and tasks.";

/// The help's text after the options: each kind's columns.
pub fn columns() -> String {
    let mut out = String::from(
        "Columns, by kind: those before a `;` are needed, the rest read when there; headers in any \
         case; an account is named by its external id or its name; `[import.columns]` in the \
         config maps other headers.\n\naccounts     ",
    );
    let lines: Vec<String> = ACCOUNT_FIELDS
        .iter()
        .map(|(field, why)| {
            let headers = account_headers(*field);
            let also = if headers.len() > 1 { format!(" (or {})", headers[1..].join(", ")) } else { String::new() };
            let why = if why.is_empty() { String::new() } else { format!(": {why}") };
            format!("{}{also}{why}", headers[0])
        })
        .collect();
    out.push_str(&lines.join("\n             "));
    out.push_str(
        "\n             Other columns are kept on the account as attributes.\n\
         \x20            --preset hubspot|salesforce|stripe reads those exports' own headers; prospects and\n\
         \x20            partners (a Salesforce Type, a HubSpot Lifecycle Stage) are left out:\n",
    );
    // Each preset's headers, said: a probe could not tell why --preset hubspot read no ARR from
    // "Annual Revenue" (the company's own turnover, which no preset reads).
    for (preset, name) in [
        (super::columns::Preset::Hubspot, "hubspot"),
        (super::columns::Preset::Salesforce, "salesforce"),
        (super::columns::Preset::Stripe, "stripe"),
    ] {
        let read: Vec<String> = super::columns::preset_headers(preset)
            .into_iter()
            .map(|(header, field)| format!("{} ({})", title_case(header), field.key().replace('_', " ")))
            .collect();
        let text = format!("{name}: {}", read.join(", "));
        for (i, line) in crate::text::wrap_all(&text, 80 - 15).into_iter().enumerate() {
            let indent = if i == 0 { "               " } else { "                 " };
            out.push_str(&format!("{indent}{line}\n"));
        }
    }
    out.push_str(
        "             A HubSpot \"Annual Revenue\" is the company's own turnover, not what it pays you:\n\
         \x20            it is kept as an attribute unless mapped (\"Annual Revenue\" = \"arr\" under\n\
         \x20            [import.columns]).\n",
    );
    out.push_str(&OTHER_KINDS.replace("{METRICS}", &metrics_read()));
    out
}

/// "The default health score reads the metrics …": the names a metrics file must use for its
/// samples to count (a probe learnt them only from a file's misnamed "weekly_logins").
fn metrics_read() -> String {
    use crate::domain::catalog::Source;
    let config = crate::config::Config::default();
    let mut names: Vec<&str> = Vec::new();
    for def in &config.health.catalog.defs {
        for source in std::iter::once(&def.source).chain(def.transform.other_source()) {
            if let Source::Metric { name, .. } = source
                && !names.contains(&name.as_str())
            {
                names.push(name);
            }
        }
    }
    let mut line = String::from("             The default health score reads the metrics");
    for (i, name) in names.iter().enumerate() {
        let word = format!("{}{name}", if i == 0 { " " } else { ", " });
        // Wrapped as the rest is, under 100 columns.
        if crate::text::width(line.rsplit('\n').next().unwrap_or("")) + word.len() > 96 {
            line.push_str(",\n            ");
            line.push_str(&word[1..]);
        } else {
            line.push_str(&word);
        }
    }
    line.push_str(" (`tend config check` names your config's).");
    line.push_str("\n             Each is a count: a value of one below zero is a bad row.");
    line
}

/// The first few headers a field is read from, as an export would write them.
fn account_headers(field: AccountField) -> Vec<String> {
    aliases_of(field).iter().filter(|h| !h.contains('_')).take(3).map(|h| title_case(h)).collect()
}

/// "customer since" -> "Customer Since", as exports head their columns ("ARR", "CSM" kept whole).
fn title_case(header: &str) -> String {
    header
        .split(' ')
        .enumerate()
        .map(|(i, word)| match word {
            "arr" | "mrr" | "csm" | "id" | "utc" => word.to_uppercase(),
            // "Became a Customer Date", as HubSpot heads it.
            "a" if i > 0 => word.to_string(),
            _ => {
                let mut chars = word.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `tend help import [KIND]` as `tend import --help`: the kind is a value, not a subcommand, so
/// clap's own `help` would refuse it. Any other arguments are left as they are.
pub fn help_args(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(at) = args.windows(2).position(|w| w[0] == "help" && w[1] == "import") else {
        return args;
    };
    // `help import [KIND]`, global options (`--db BOOK`) before or after it kept.
    let mut rest = args[at + 2..].iter().peekable();
    rest.next_if(|kind| !kind.to_string_lossy().starts_with('-'));
    args[..at].iter().cloned().chain(["import".into(), "--help".into()]).chain(rest.cloned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::map_headers;

    #[test]
    fn every_account_header_the_help_names_is_read_as_its_field() {
        for (field, _) in ACCOUNT_FIELDS {
            let named = account_headers(field);
            assert!(!named.is_empty(), "{field:?} has no header to name");
            for header in named {
                let mapped = map_headers(std::slice::from_ref(&header), None, &Default::default());
                assert_eq!(mapped, vec![Some(field)], "{header}");
                assert!(columns().contains(&header), "{header}");
            }
        }
    }

    #[test]
    fn the_columns_fit_a_terminal_of_100_columns_unwrapped() {
        for line in columns().lines().skip(1) {
            assert!(line.chars().count() <= 96, "{line}");
        }
    }

    /// The metrics the default score reads are the counts whose values below zero are bad rows.
    #[test]
    fn the_default_scores_metrics_are_counts() {
        use crate::domain::catalog::Source;
        let config = crate::config::Config::default();
        let mut read: Vec<&str> = config
            .health
            .catalog
            .defs
            .iter()
            .flat_map(|def| std::iter::once(&def.source).chain(def.transform.other_source()))
            .filter_map(|source| match source {
                Source::Metric { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        read.sort_unstable();
        read.dedup();
        let mut counts = crate::import::metrics::COUNTS_OF_USE.to_vec();
        counts.sort_unstable();
        assert_eq!(read, counts);
    }

    /// The metric names the default score reads are in the help, each as the config names it.
    #[test]
    fn the_help_names_the_metrics_the_default_score_reads() {
        let help = columns().replace("\n            ", "");
        for name in crate::import::metrics::COUNTS_OF_USE {
            assert!(help.contains(&format!(" {name},")) || help.contains(&format!(" {name} (")), "{name}: {help}");
        }
    }

    #[test]
    fn help_import_kind_is_import_help() {
        let args = |words: &[&str]| words.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(help_args(args(&["tend", "help", "import", "accounts"])), args(&["tend", "import", "--help"]));
        assert_eq!(help_args(args(&["tend", "help", "import"])), args(&["tend", "import", "--help"]));
        assert_eq!(help_args(args(&["tend", "help", "log"])), args(&["tend", "help", "log"]));
        assert_eq!(help_args(args(&["tend", "import", "help"])), args(&["tend", "import", "help"]));
        assert_eq!(
            help_args(args(&["tend", "--db", "x.db", "help", "import", "logs"])),
            args(&["tend", "--db", "x.db", "import", "--help"])
        );
        assert_eq!(
            help_args(args(&["tend", "help", "import", "logs", "--db", "x.db"])),
            args(&["tend", "import", "--help", "--db", "x.db"])
        );
    }
}
