//! The real binary in a real terminal: a tmux server of the test's own.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    pub fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c
    }

    pub fn start(&self, width: u16, height: u16, command: &str, home: &Path) {
        let status = self
            .cmd()
            .args(["new-session", "-d", "-s", "e2e", "-x", &width.to_string(), "-y", &height.to_string()])
            .arg(format!(
                "env HOME={0} XDG_DATA_HOME={0}/data XDG_CONFIG_HOME={0}/config {ca} {command}",
                home.display(),
                // The team tests' cluster offers TLS with a certificate of its own authority: trusted.
                ca = std::env::var("TEND_TEST_POSTGRES_CA").map(|ca| format!("SSL_CERT_FILE={ca}")).unwrap_or_default()
            ))
            .status()
            .expect("tmux must be installed for the end-to-end test (.ci/run installs it)");
        assert!(status.success());
    }

    pub fn send(&self, keys: &[&str]) {
        let status = self.cmd().args(["send-keys", "-t", "e2e"]).args(keys).status().unwrap();
        assert!(status.success());
    }

    pub fn screen(&self) -> String {
        let out = self.cmd().args(["capture-pane", "-p", "-t", "e2e"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the screen satisfies `ok`, or fail with the last screen.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn alive(&self) -> bool {
        self.cmd().args(["has-session", "-t", "e2e"]).output().map(|o| o.status.success()).unwrap_or(false)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}
