//! Readers with accounts (the CouchDB store): who is signed in, which of their database roles
//! make them staff (the host's `roles` in config.json), and the mark a comment carries of the
//! account that wrote it, which the database checks against the writer at write time.

use serde::Deserialize;

/// A staff role a comment's writer held when the database accepted it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffRole {
    Instructor,
    Ta,
}

impl StaffRole {
    /// As stored in a comment's `accountRole`.
    pub fn name(self) -> &'static str {
        match self {
            StaffRole::Instructor => "instructor",
            StaffRole::Ta => "ta",
        }
    }

    pub fn from_name(name: &str) -> Option<StaffRole> {
        [StaffRole::Instructor, StaffRole::Ta]
            .into_iter()
            .find(|role| role.name() == name)
    }
}

/// Who a signed-in reader writes as: their account name, and their staff role if any.
/// A comment carries it as `account` and `accountRole`; `validate_doc_update` refuses one
/// that is not the writer's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountMark {
    pub name: String,
    pub role: Option<StaffRole>,
}

/// Which database role names count as instructor and as TA (config.json `roles`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffRoles {
    pub instructor: Vec<String>,
    pub ta: Vec<String>,
}

impl Default for StaffRoles {
    fn default() -> Self {
        StaffRoles {
            instructor: vec!["instructor".to_owned()],
            ta: vec!["ta".to_owned()],
        }
    }
}

impl StaffRoles {
    /// The staff role of an account with these database roles; instructor over TA.
    pub fn role_of(&self, roles: &[String]) -> Option<StaffRole> {
        let holds = |names: &[String]| roles.iter().any(|role| names.contains(role));
        if holds(&self.instructor) {
            Some(StaffRole::Instructor)
        } else if holds(&self.ta) {
            Some(StaffRole::Ta)
        } else {
            None
        }
    }
}

/// A signed-in reader as the database knows them (`GET /_session`'s `userCtx`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub name: String,
    pub roles: Vec<String>,
}

impl Session {
    /// The mark of this reader's comments.
    pub fn mark(&self, staff: &StaffRoles) -> AccountMark {
        AccountMark {
            name: self.name.clone(),
            role: staff.role_of(&self.roles),
        }
    }
}

/// The reader a `GET /_session` answer names: `None` when the request was anonymous (the
/// credentials were not accepted as an account's, or there were none).
pub fn parse_session(body: &str) -> Result<Option<Session>, String> {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(rename = "userCtx")]
        user_ctx: UserCtx,
    }
    #[derive(Deserialize)]
    struct UserCtx {
        name: Option<String>,
        #[serde(default)]
        roles: Vec<String>,
    }
    let answer: Answer = serde_json::from_str(body)
        .map_err(|error| format!("the server's session answer is unreadable ({error})"))?;
    Ok(answer
        .user_ctx
        .name
        .filter(|name| !name.is_empty())
        .map(|name| Session {
            name,
            roles: answer.user_ctx.roles,
        }))
}

/// The server a database URL lives on (where `/_session` is): the URL without its last path
/// segment, `https://db.example.org/couch/blog` → `https://db.example.org/couch`.
pub fn server_of(database_url: &str) -> &str {
    let trimmed = database_url.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(slash) if trimmed[..slash].ends_with('/') => trimmed,
        Some(slash) => &trimmed[..slash],
        None => trimmed,
    }
}

/// A bearer token handed over in the page's fragment by a school's launcher
/// (`#colloquy-token=<token>`), and the fragment without it.
pub fn token_in_fragment(fragment: &str) -> Option<(String, String)> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut token = None;
    let rest: Vec<&str> = fragment
        .split('&')
        .filter(|part| match part.strip_prefix("colloquy-token=") {
            Some(value) if !value.is_empty() => {
                token = Some(value.to_owned());
                false
            }
            _ => !part.is_empty(),
        })
        .collect();
    token.map(|token| (token, rest.join("&")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn staff_roles_come_from_the_hosts_names_and_instructor_wins() {
        let staff = StaffRoles {
            instructor: roles(&["prof", "instructor"]),
            ta: roles(&["ta"]),
        };
        assert_eq!(
            staff.role_of(&roles(&["student", "prof"])),
            Some(StaffRole::Instructor)
        );
        assert_eq!(staff.role_of(&roles(&["ta"])), Some(StaffRole::Ta));
        assert_eq!(
            staff.role_of(&roles(&["ta", "instructor"])),
            Some(StaffRole::Instructor)
        );
        assert_eq!(staff.role_of(&roles(&["student"])), None);
        assert_eq!(StaffRoles::default().role_of(&roles(&["Instructor"])), None);
    }

    #[test]
    fn a_session_answer_names_the_reader_or_no_one() {
        let signed_in = r#"{"ok":true,"userCtx":{"name":"alice","roles":["student"]},"info":{}}"#;
        assert_eq!(
            parse_session(signed_in),
            Ok(Some(Session {
                name: "alice".into(),
                roles: roles(&["student"])
            }))
        );
        let anonymous = r#"{"ok":true,"userCtx":{"name":null,"roles":[]}}"#;
        assert_eq!(parse_session(anonymous), Ok(None));
        assert!(parse_session("<html>")
            .unwrap_err()
            .contains("session answer is unreadable"));
    }

    #[test]
    fn a_comment_is_marked_with_the_account_and_its_staff_role() {
        let session = Session {
            name: "prof".into(),
            roles: roles(&["instructor"]),
        };
        assert_eq!(
            session.mark(&StaffRoles::default()),
            AccountMark {
                name: "prof".into(),
                role: Some(StaffRole::Instructor)
            }
        );
        let student = Session {
            name: "sam".into(),
            roles: Vec::new(),
        };
        assert_eq!(student.mark(&StaffRoles::default()).role, None);
        for role in [StaffRole::Instructor, StaffRole::Ta] {
            assert_eq!(StaffRole::from_name(role.name()), Some(role));
        }
        assert_eq!(StaffRole::from_name("dean"), None);
    }

    #[test]
    fn the_server_is_the_database_url_without_its_name() {
        assert_eq!(
            server_of("http://127.0.0.1:5984/blog"),
            "http://127.0.0.1:5984"
        );
        assert_eq!(
            server_of("https://db.example.org/couch/blog/"),
            "https://db.example.org/couch"
        );
        assert_eq!(
            server_of("https://db.example.org"),
            "https://db.example.org"
        );
    }

    #[test]
    fn a_launchers_token_is_taken_out_of_the_fragment() {
        assert_eq!(
            token_in_fragment("#colloquy-token=abc.def.ghi"),
            Some(("abc.def.ghi".into(), String::new()))
        );
        assert_eq!(
            token_in_fragment("#comment-2&colloquy-token=t1"),
            Some(("t1".into(), "comment-2".into()))
        );
        assert_eq!(token_in_fragment("#comment-2"), None);
        assert_eq!(token_in_fragment("#colloquy-token="), None);
    }
}
