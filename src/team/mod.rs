//! Team mode: one book for a whole team on PostgreSQL, each person signed in as their own role.
//!
//! So far: the schema (numbered steps, as for SQLite, with the team's roles and row-level
//! security), moving a book whole between a SQLite file and a team book, and signing people in.
//! The TUI, the reports and the importers still open SQLite books only.

pub mod connect;
pub mod copy;
pub mod detail;
pub mod facts;
pub mod heads;
pub mod import;
pub mod kept;
pub mod read;
pub mod replica;
pub mod roles;
pub mod samples;
pub mod schema;
pub mod streamed;
pub mod write;

use postgres::Client;

/// Whether `text` names a team book (a PostgreSQL URL) rather than a file.
pub fn is_team_url(text: &str) -> bool {
    let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// Whether `text` is a PostgreSQL connection string of `key=value` words (`host=db dbname=tend`),
/// which tend takes only as a URL.
pub fn is_conninfo(text: &str) -> bool {
    text.contains('=')
        && text.split_whitespace().any(|w| ["host=", "dbname=", "user="].iter().any(|k| w.starts_with(k)))
}

/// The spinner shown while a team book is read, on one line of the terminal whatever its width
/// (a line wider than the terminal wraps, and each tick of the spinner then leaves a line behind).
pub fn reading_spinner(url: &str) -> indicatif::ProgressBar {
    let columns = crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w));
    // The scheme says nothing here; the database's name, at the end, says which book.
    let shown = shown(url);
    let place = shown.split_once("://").map_or(shown.as_str(), |(_, rest)| rest);
    // Less the spinner's frame and the space after it.
    let said = crate::text::truncate(&format!("Reading the team book {place}"), columns.saturating_sub(3));
    indicatif::ProgressBar::new_spinner().with_message(said)
}

/// The URL as it may be shown: without its password, wherever it is written (`user:password@`,
/// even with a `/` or an `@` in it, or a `password=` parameter in any case).
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return hide_parameters(url) };
    // The sign-in part ends at the last @ (a password may hold a / or a ?; hiding more than the
    // password, where a parameter holds an @, is the safe side).
    let rest = match rest.rfind('@') {
        Some(at) => match rest[..at].split_once(':') {
            Some((name, _)) => format!("{name}:***{}", &rest[at..]),
            None => rest.to_string(),
        },
        None => rest.to_string(),
    };
    match rest.split_once('?') {
        Some((path, query)) => format!("{scheme}://{path}?{}", hide_parameters(query)),
        None => format!("{scheme}://{rest}"),
    }
}

/// `password=…` hidden among parameters (`a=1&password=x`, or a `key=value` string).
fn hide_parameters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut at_start = true;
    while let Some(c) = rest.chars().next() {
        if at_start && rest.get(..9).is_some_and(|p| p.eq_ignore_ascii_case("password=")) {
            out.push_str("password=***");
            let end = rest[9..].find(['&', ' ']).map_or(rest.len(), |e| e + 9);
            rest = &rest[end..];
            at_start = false;
            continue;
        }
        at_start = matches!(c, '&' | ' ' | '?');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("cannot reach the team book at {url}: {detail}")]
    Connect { url: String, detail: String },
    #[error("the team book at {url}: {detail}")]
    Database { url: String, detail: String },
    #[error("{url} is not a tend team book: {detail}")]
    NotTend { url: String, detail: String },
    #[error(
        "the team book at {url} has schema version {found}, and this tend knows {known}: a newer tend set it up; update tend (nothing was changed)"
    )]
    TooNew { url: String, found: usize, known: usize },
    #[error(
        "the team book at {url} has no schema yet: is it the right database? The database's owner sets a team book up with `tend db init {url}`"
    )]
    NoSchema { url: String },
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

pub type Result<T, E = TeamError> = std::result::Result<T, E>;

/// A connection to a team book, with its URL (password hidden) for messages.
pub struct TeamBook {
    /// Behind a cell: the driver needs `&mut` to ask anything, and reads take the book as `&`
    /// (as `Store`'s do), one at a time.
    pub client: std::cell::RefCell<Client>,
    pub url: String,
    /// The writes this connection's transactions added to the team book's count (`heads`) since
    /// its last snapshot: a tend that wrote and pulled nothing since knows the book is as the
    /// snapshot and its own writes make it, while the count is the snapshot's and these.
    /// By the list each may change (see `heads::WriteCounts`).
    pub own_writes: heads::WriteCounts,
    /// When this connection last wrote (since its last snapshot).
    pub own_written_at: Option<std::time::Instant>,
}

impl TeamBook {
    /// A snapshot taken now sees this connection's writes so far: none of them is its own any
    /// more.
    pub fn forget_own_writes(&mut self) {
        self.own_writes = heads::WriteCounts::default();
        self.own_written_at = None;
    }

    pub fn connect(url: &str) -> Result<TeamBook> {
        let shown = shown(url);
        let client = connect::client(url)?;
        Ok(TeamBook {
            client: std::cell::RefCell::new(client),
            url: shown,
            own_writes: heads::WriteCounts::default(),
            own_written_at: None,
        })
    }

    /// A team book to read, its schema checked (present, and neither older nor newer than this
    /// tend's).
    pub fn open(url: &str) -> Result<TeamBook> {
        let mut book = TeamBook::connect(url)?;
        let shown = book.url.clone();
        let mut tx = book.checked_transaction()?;
        // One who may connect but is not on the team would read an empty book (row-level security
        // shows them nothing) and be told no account matches: say why instead.
        let row = tx
            .query_one(
                "SELECT current_user::text, tend_kind() IS NOT NULL
                     OR (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
                     OR pg_has_role(current_user,
                            (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'accounts'),
                            'USAGE')",
                &[],
            )
            .map_err(db_error(&shown))?;
        let (role, member): (String, bool) = (row.get(0), row.get(1));
        if !member {
            return Err(TeamError::Refused(format!(
                "{role} may connect to the team book at {shown} but is not on its team, so would see none of it: \
                 its owner lets people in with `tend db grant {role} csm|lead|importer`"
            )));
        }
        tx.commit().map_err(db_error(&shown))?;
        Ok(book)
    }

    /// A transaction on the book, its schema checked first (present, neither older nor newer).
    /// A read-only transaction that sees the whole book as it was when it began, whatever others
    /// write meanwhile (a copy, a snapshot), on a book of this tend's schema.
    pub fn one_view(&mut self) -> Result<postgres::Transaction<'_>> {
        let url = self.url.clone();
        let mut tx = self
            .client
            .get_mut()
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(db_error(&url))?;
        schema::check(&mut tx, &url)?;
        Ok(tx)
    }

    pub fn checked_transaction(&mut self) -> Result<postgres::Transaction<'_>> {
        let url = self.url.clone();
        let mut tx = self.client.get_mut().transaction().map_err(db_error(&url))?;
        schema::check(&mut tx, &url)?;
        Ok(tx)
    }

    /// An error of the database, with this book's URL.
    pub fn error(&self, e: postgres::Error) -> TeamError {
        TeamError::Database { url: self.url.clone(), detail: detail(&e) }
    }
}

/// TLS as the URL's `sslmode` asks: `prefer` (the default) uses it when the server offers it,
/// `require` refuses a server without it, `disable` goes without. Either way a server's
/// certificate is checked against the system's certificate authorities (a company's own CA
/// installed there), or Mozilla's where the system has none.
fn tls() -> tokio_postgres_rustls::MakeRustlsConnect {
    // One crypto provider for the process (ring: built with the C compiler SQLite needs anyway).
    let _ = rustls::crypto::ring::default_provider().install_default();
    match tokio_postgres_rustls::MakeRustlsConnect::with_native_certs() {
        Ok((connector, _unreadable)) => connector,
        Err(_) => tokio_postgres_rustls::MakeRustlsConnect::with_webpki_roots(),
    }
}

/// A database error of the team book at `url` (its password hidden), as a `map_err` takes it.
pub(crate) fn db_error(url: &str) -> impl Fn(postgres::Error) -> TeamError + Copy + '_ {
    move |e| TeamError::Database { url: url.to_string(), detail: detail(&e) }
}

/// Why a connection failed, with what to do where it is a matter of TLS.
fn connect_detail(e: &postgres::Error) -> String {
    with_what_to_do(detail(e))
}

/// A connection's failure `text`, with what to do about it where tend can tell.
fn with_what_to_do(text: String) -> String {
    let lower = text.to_ascii_lowercase();
    // rustls names the fault: an expired certificate, or one for another name, is no matter of
    // which authorities are trusted.
    if lower.contains("invalid peer certificate") && lower.contains("expired") {
        return format!(
            "{text}: the server's certificate has expired (or this machine's clock is wrong); its owner renews it"
        );
    }
    if lower.contains("invalid peer certificate") && (lower.contains("not valid yet") || lower.contains("notvalidyet"))
    {
        return format!(
            "{text}: the server's certificate is not valid yet: this machine's clock is probably behind; set it right"
        );
    }
    if lower.contains("invalid peer certificate")
        && (lower.contains("notvalidforname") || lower.contains("not valid for name"))
    {
        return format!(
            "{text}: the server's certificate was issued for another name than the host in the URL; \
             connect by the name it was issued for"
        );
    }
    if lower.contains("invalid peer certificate") {
        return format!(
            "{text}: the server's certificate is not signed by an authority this machine trusts; \
             name your server's own with SSL_CERT_FILE=/path/to/ca.pem, or add ?sslmode=disable on a network you trust"
        );
    }
    if text.contains("does not have CONNECT privilege") {
        return format!("{text}: this role is not on the book's team; its owner lets people in with `tend db grant`");
    }
    if text.contains("server does not support TLS") {
        return format!("{text}: the URL asks for TLS (sslmode=require), which this server does not offer");
    }
    text
}

/// What PostgreSQL said, in one line: its message (and detail or hint when it gave them), not
/// the driver's "db error: ERROR: …" wrapping.
pub fn detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut text = db.message().to_string();
            if let Some(d) = db.detail() {
                text.push_str(&format!(" ({d})"));
            }
            if let Some(h) = db.hint() {
                text.push_str(&format!("; {h}"));
            }
            // Setting a book up (its tables) is the database owner's: said, not a schema's name.
            if db.message().contains("permission denied for schema public") {
                text.push_str(
                    ": setting a team book up, or copying a book into one, takes the database's owner (or a superuser): \
                     sign in as them",
                );
            }
            // Who is on the team is the owner's to change: said, rather than a table's name.
            if db.message().contains("permission denied for table team_members") {
                text.push_str(
                    ": only the book's owner (who ran `tend db init`) lets people in, out, or changes what they are",
                );
            }
            text
        }
        None => {
            // The driver's own errors nest their cause: say the innermost, which names it.
            let mut source: &dyn std::error::Error = e;
            while let Some(inner) = source.source() {
                source = inner;
            }
            if std::ptr::eq(source as *const _ as *const u8, e as *const _ as *const u8) {
                e.to_string()
            } else {
                format!("{e}: {source}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(shown("postgres://ana:s3cret@db.example:5432/book"), "postgres://ana:***@db.example:5432/book");
        assert_eq!(shown("postgresql://ana@db/book?sslmode=require"), "postgresql://ana@db/book?sslmode=require");
        assert_eq!(shown("postgres://db"), "postgres://db");
        assert_eq!(
            shown("postgres://ana@db/book?password=s3cret&sslmode=require"),
            "postgres://ana@db/book?password=***&sslmode=require"
        );
        assert_eq!(shown("postgres://ana:ab/cdSECRET@db/book"), "postgres://ana:***@db/book");
        assert_eq!(shown("postgres://ana:p@ss:w/rd?x@db:5/book"), "postgres://ana:***@db:5/book");
        assert_eq!(shown("postgres://ana@db/book?PASSWORD=s3cret"), "postgres://ana@db/book?password=***");
        assert_eq!(shown("host=db password=s3cret user=ana"), "host=db password=*** user=ana");
        assert_eq!(shown("host=é password=s3cret"), "host=é password=***");
        assert!(is_team_url("postgres://x") && is_team_url("postgresql://x") && !is_team_url("tend.db"));
    }

    #[test]
    fn a_certificates_fault_is_told_with_its_own_remedy() {
        let said = |text: &str| with_what_to_do(text.to_string());
        let expired = said(
            "error performing TLS handshake: invalid peer certificate: certificate expired: verification time 1, but certificate is not valid after 0",
        );
        assert!(expired.contains("has expired") && !expired.contains("SSL_CERT_FILE"), "{expired}");
        let name = said("error performing TLS handshake: invalid peer certificate: NotValidForName");
        assert!(name.contains("another name") && !name.contains("SSL_CERT_FILE"), "{name}");
        let early = said(
            "error performing TLS handshake: invalid peer certificate: certificate not valid yet: verification time 0, but certificate is not valid before 1",
        );
        assert!(early.contains("clock is probably behind") && !early.contains("SSL_CERT_FILE"), "{early}");
        let issuer = said("error performing TLS handshake: invalid peer certificate: UnknownIssuer");
        assert!(issuer.contains("SSL_CERT_FILE"), "{issuer}");
        assert_eq!(said("connection refused"), "connection refused");
    }
}
