//! Connecting to a team book as psql would: a URL that names its database, libpq's names of
//! `sslmode`, the password from `PGPASSWORD` or the password file when the URL has none, and a
//! deadline on the whole handshake (a server that takes the connection and never answers left
//! tend silent for good).

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::Client;
use postgres::config::Host;

use super::{TeamError, shown};

/// How long a connection may take, handshake and sign-in included, unless the URL's
/// `connect_timeout` says otherwise.
pub const DEADLINE: Duration = Duration::from_secs(15);

/// A connection to the team book at `url`, within the deadline.
pub(super) fn client(url: &str) -> Result<Client, TeamError> {
    let shown = shown(url);
    let refused = |detail: String| TeamError::Connect { url: shown.clone(), detail };
    let mut config = config_of(url).map_err(refused)?;
    let password_file = match config.get_password() {
        Some(_) => None,
        None => given_password(&mut config),
    };
    let deadline = config.get_connect_timeout().copied().unwrap_or(DEADLINE);
    let place = place(&config);
    let (tx, rx) = std::sync::mpsc::channel();
    // The driver has no deadline past the socket's connect: the handshake is waited for on a
    // thread of its own, left behind if it never ends (tend then says so and stops).
    std::thread::spawn(move || {
        let _ = tx.send(config.connect(super::tls()));
    });
    match rx.recv_timeout(deadline) {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(refused(with_password_help(super::connect_detail(&e), password_file.as_ref()))),
        Err(_) => Err(refused(format!(
            "no answer from {place} in {} s: is a PostgreSQL server there, and can this machine reach it (a \
             firewall, a VPN)? Add ?connect_timeout=SECONDS to the URL to wait longer",
            deadline.as_secs()
        ))),
    }
}

/// The driver's configuration of a team book's URL, or why tend will not connect with it: no
/// database named (the driver would take the user's name for it, "database "maya" does not
/// exist"), an `@` in the password (the host would be read from the middle of it), libpq's
/// `verify-full` and `verify-ca` (tend always checks the certificate and its name: `require`).
pub fn config_of(url: &str) -> Result<postgres::Config, String> {
    let text = shown(url);
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!("\"{text}\" is not a team book: name one by its URL, postgres://USER@HOST/DATABASE"));
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.matches('@').count() > 1 {
        return Err(format!("{text}: write an @ in the password as %40 (the host is what follows the first @)"));
    }
    // "…/team/" is the book team.
    let database = path.trim_end_matches('/');
    if database.is_empty() {
        return Err(format!("{text}: name the database, as in postgres://USER@HOST/tend"));
    }
    let query = query.map(|q| {
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, "verify-full" | "verify-ca")) if key.eq_ignore_ascii_case("sslmode") => {
                    format!("{key}=require")
                }
                Some((key, "allow")) if key.eq_ignore_ascii_case("sslmode") => format!("{key}=prefer"),
                _ => pair.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    if let Some(mode) = query.iter().flat_map(|q| q.split('&')).find_map(|p| p.strip_prefix("sslmode="))
        && !["disable", "prefer", "require"].contains(&mode)
    {
        return Err(format!(
            "{text}: sslmode \"{mode}\" is none tend knows: disable, prefer (the default), require, or verify-full \
             (tend checks a server's certificate and its name whenever it uses TLS)"
        ));
    }
    // The driver reads the scheme in lower case only ("POSTGRES://" is the same book).
    let url = format!(
        "{}://{authority}/{database}{}",
        scheme.to_ascii_lowercase(),
        query.map_or(String::new(), |q| format!("?{q}"))
    );
    postgres::Config::from_str(&url).map_err(|e| format!("{text}: {}", super::detail(&e)))
}

/// "db.example:5432", as messages name the server.
fn place(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".into(),
    };
    format!("{host}:{}", config.get_ports().first().copied().unwrap_or(5432))
}

/// Sets the password psql would use where the URL has none: `PGPASSWORD`, or the first line of
/// the password file (`PGPASSFILE`, or `~/.pgpass`) that matches the host, port, database and
/// user. Returns the password file when it was passed over for being readable by others (as
/// libpq does), for the message if the server then asks for a password.
fn given_password(config: &mut postgres::Config) -> Option<PathBuf> {
    if let Some(password) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
        config.password(password.as_encoded_bytes());
        return None;
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(&file).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
            return Some(file);
        }
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        // libpq matches a socket's connection as localhost.
        _ => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let database = config.get_dbname().unwrap_or(&user).to_string();
    if let Some(password) = password_in(&text, [&host, &port, &database, &user]) {
        config.password(password);
    }
    None
}

/// The password of the first line of a password file whose four fields match `wanted` (host,
/// port, database, user; `*` matches any), each field's `\:` and `\\` read as `:` and `\`.
fn password_in(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).find_map(|line| {
        let mut fields = vec![String::new()];
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => fields.last_mut()?.extend(chars.next()),
                ':' if fields.len() < 5 => fields.push(String::new()),
                c => fields.last_mut()?.push(c),
            }
        }
        let [host, port, database, user, password] = <[String; 5]>::try_from(fields).ok()?;
        let matches =
            [host, port, database, user].iter().zip(wanted).all(|(field, want)| field == "*" || field == want);
        matches.then_some(password)
    })
}

/// A connection's failure, with where a password goes when the server asked for one tend did
/// not have.
fn with_password_help(text: String, passed_over: Option<&PathBuf>) -> String {
    if !text.contains("password missing") {
        return text;
    }
    match passed_over {
        Some(file) => format!(
            "{text}: {} was not read, as others may read it (chmod 600 {}, as psql asks too)",
            file.display(),
            file.display()
        ),
        None => format!(
            "{text}: the server asks for a password; give it in ~/.pgpass (a line HOST:PORT:DATABASE:NAME:PASSWORD, \
             chmod 600, which psql reads too) or PGPASSWORD, rather than in the URL, where it shows in the \
             shell's history"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_file_is_read_as_libpq_reads_it() {
        let file = "# the team\n\
                    db.example:5432:other:maya:nope\n\
                    db.example:5432:team:maya:s3cr\\:et\n\
                    *:*:*:maya:fallback\n";
        let want = |db: &str, user: &str| password_in(file, ["db.example", "5432", db, user]);
        assert_eq!(want("team", "maya").as_deref(), Some("s3cr:et"));
        assert_eq!(want("other", "maya").as_deref(), Some("nope"));
        assert_eq!(want("elsewhere", "maya").as_deref(), Some("fallback"));
        assert_eq!(want("team", "ben"), None);
    }

    #[test]
    fn a_url_is_checked_and_read_as_psql_would() {
        let db = |url: &str| config_of(url).map(|c| c.get_dbname().map(str::to_string));
        assert_eq!(db("postgres://maya@h/team/"), Ok(Some("team".into())));
        assert_eq!(db("POSTGRES://maya@h/team"), Ok(Some("team".into())));
        assert!(db("postgres://maya@h").unwrap_err().contains("name the database"));
        assert!(db("postgres://maya@h/").unwrap_err().contains("name the database"));
        let strict = config_of("postgres://maya@h/team?sslmode=verify-full").unwrap();
        assert_eq!(strict.get_ssl_mode(), postgres::config::SslMode::Require);
        let e = config_of("postgres://maya@h/team?sslmode=sometimes").unwrap_err();
        assert!(e.contains("sslmode \"sometimes\"") && e.contains("verify-full"), "{e}");
        let quick = config_of("postgres://maya@h/team?connect_timeout=3").unwrap();
        assert_eq!(quick.get_connect_timeout(), Some(&Duration::from_secs(3)));
    }
}
