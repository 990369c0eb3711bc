//! `tend demo --db postgres://…`: the demo book built in a file of its own, as for a book file,
//! then copied whole into the empty team book (`team::copy`, the copy `tend db copy` makes: each
//! table counted and hashed as read back). A team book is never overwritten: one that holds
//! anything is refused, as by `tend db copy`.

use color_eyre::Result;
use color_eyre::eyre::bail;

use crate::config::Config;
use crate::demo::DemoSpec;
use crate::store::Store;
use crate::team::{TeamBook, copy, shown};

/// Build the demo and copy it into the team book at `url`; what to say.
pub fn run(url: &str, config: &Config, spec: DemoSpec, rebuild: bool) -> Result<String> {
    if rebuild {
        bail!(
            "--rebuild makes a demo book file afresh; a team book is filled only while it is empty (drop the database and create it again, then `tend demo --db {}`)",
            shown(url)
        );
    }
    // Refused before the demo is built: a team book that holds a book already, or one this
    // role may not fill.
    let mut book = TeamBook::connect(url)?;
    copy::refuse_unless_empty_now(&mut book)?;
    let folder = tempfile::Builder::new().prefix("tend-demo-").tempdir()?;
    let file = folder.path().join("demo.db");
    super::commands::build_demo(&file, "for the team book", config, spec, false)?;
    let csms: Vec<String> = Store::open(&file)?.csms()?.into_iter().map(|(_, name)| name).collect();
    let bar = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template("copying the demo into the team book: {msg}, {human_pos} rows so far")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let copied = copy::file_to_team(&file, &mut book, &bar);
    bar.finish_and_clear();
    let copied = copied?;
    let example = csms.first().map_or("Maya Patel", String::as_str);
    Ok(format!(
        "The demo book is in the team book at {}: {} accounts of {} CSMs ({}), {} rows. Let people in as them (`tend --db {} db grant maya csm --csm \"{example}\"`, a lead with `lead`), and each opens it with `tend --db postgres://ROLE@…`.",
        shown(url),
        crate::domain::account::thousands(copied.count("accounts")),
        csms.len(),
        csms.join(", "),
        crate::domain::account::thousands(copied.rows()),
        shown(url),
    ))
}
