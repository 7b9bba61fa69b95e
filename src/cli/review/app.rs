//! The review session's state and what each key does to it. No terminal here: the runner
//! (`mod.rs`) draws the state and carries out the effects a key asks for.

use rules2actions::markers::has_error_marker;
use rules2actions::registry::Severity;
use rules2actions::review::{review_order, Decision, ReviewItem, ReviewState, ReviewStatus};
use rules2actions::source::RuleSource;
use rules2actions::{Migration, Outcome};

/// A rule under review.
pub struct Entry {
    pub rule: RuleSource,
    /// The Action's name.
    pub action: String,
    /// The script as migrated (keyword placeholders stood in for), which decisions are made on.
    pub source: Vec<u8>,
    pub migration: Migration,
    /// Set when the Action was edited and no longer parses: it cannot be accepted.
    pub broken: Option<String>,
    pub status: ReviewStatus,
}

impl Entry {
    pub fn code(&self) -> Option<&str> {
        self.migration.output()
    }

    pub fn worst(&self) -> Option<Severity> {
        self.migration.findings.iter().map(|f| f.severity()).max()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.migration
            .findings
            .iter()
            .filter(|f| f.severity() == severity)
            .count()
    }

    /// The Action after an edit: `Err` when it does not parse.
    pub fn set_code(&mut self, code: String) {
        self.broken = rules2actions::parse::check_script(&code)
            .err()
            .map(|e| format!("the edited Action does not parse: {}", e.message));
        self.migration.outcome = Outcome::Converted(code);
    }
}

/// What a key asks the runner to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Record the decision on the current rule (and write the Action when accepted).
    Decide(Decision),
    /// Open the current Action in the editor.
    Edit,
    /// Accept every remaining rule without error-level findings.
    AcceptAllClean,
    Quit,
}

pub struct App {
    pub entries: Vec<Entry>,
    /// Indices of `entries` to review, in order.
    pub queue: Vec<usize>,
    pub position: usize,
    pub side_by_side: bool,
    pub selected_finding: usize,
    pub scroll: u16,
    pub help: bool,
    /// The text typed after `/`, while searching.
    pub search: Option<String>,
    /// One line of feedback for the footer.
    pub message: String,
    /// `a` was pressed on an Action that still needs manual work: a second `a` accepts it.
    pub confirming: bool,
}

impl App {
    pub fn new(entries: Vec<Entry>, state: &ReviewState) -> Self {
        let mut entries = entries;
        for entry in &mut entries {
            entry.status = state.status(&entry.action, &entry.source);
        }
        let items: Vec<ReviewItem> = entries
            .iter()
            .map(|e| ReviewItem {
                name: e.rule.name.clone(),
                worst: e.worst(),
                status: e.status,
            })
            .collect();
        let queue = review_order(&items);
        let message = format!("{} rules to review", queue.len());
        App {
            entries,
            queue,
            position: 0,
            side_by_side: false,
            selected_finding: 0,
            scroll: 0,
            help: false,
            search: None,
            message,
            confirming: false,
        }
    }

    pub fn current(&self) -> Option<&Entry> {
        self.queue.get(self.position).map(|&i| &self.entries[i])
    }

    pub fn current_mut(&mut self) -> Option<&mut Entry> {
        let index = *self.queue.get(self.position)?;
        Some(&mut self.entries[index])
    }

    pub fn next(&mut self) {
        if self.position + 1 < self.queue.len() {
            self.position += 1;
            self.selected_finding = 0;
            self.scroll = 0;
        }
    }

    pub fn previous(&mut self) {
        if self.position > 0 {
            self.position -= 1;
            self.selected_finding = 0;
            self.scroll = 0;
        }
    }

    /// A key, as the character it types (or a named key); returns what the runner must do.
    pub fn key(&mut self, key: Key) -> Effect {
        if let Some(query) = &mut self.search {
            match key {
                Key::Char(c) => query.push(c),
                Key::Backspace => {
                    query.pop();
                }
                Key::Enter => {
                    let query = self.search.take().unwrap_or_default().to_lowercase();
                    self.jump_to(&query);
                }
                Key::Escape => self.search = None,
                _ => {}
            }
            return Effect::None;
        }
        if self.help {
            self.help = false;
            return Effect::None;
        }
        let confirmed = std::mem::take(&mut self.confirming) && key == Key::Char('a');
        match key {
            Key::Char('q') | Key::Escape => Effect::Quit,
            Key::Char('?') => {
                self.help = true;
                Effect::None
            }
            Key::Char('n') | Key::Right => {
                self.next();
                Effect::None
            }
            Key::Char('p') | Key::Left => {
                self.previous();
                Effect::None
            }
            Key::Char('d') => {
                self.side_by_side = !self.side_by_side;
                Effect::None
            }
            Key::Char('/') => {
                self.search = Some(String::new());
                Effect::None
            }
            Key::Down => {
                self.scroll = self.scroll.saturating_add(1);
                Effect::None
            }
            Key::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Effect::None
            }
            Key::Tab => {
                let findings = self.current().map_or(0, |e| e.migration.findings.len());
                if findings > 0 {
                    self.selected_finding = (self.selected_finding + 1) % findings;
                    self.scroll = self.finding_line().saturating_sub(3);
                }
                Effect::None
            }
            Key::Char('a') => match self.current() {
                Some(entry) if entry.code().is_none() => {
                    self.message = "nothing to accept: the rule was not converted".to_string();
                    Effect::None
                }
                Some(entry) if entry.broken.is_some() => {
                    self.message = entry.broken.clone().unwrap_or_default();
                    Effect::None
                }
                Some(entry) if !confirmed && entry.code().is_some_and(has_error_marker) => {
                    self.message = format!(
                        "`{}` still has code left for a human (error markers): press `a` again to accept it anyway (written, but not bound), or `e` to edit it",
                        entry.rule.name
                    );
                    self.confirming = true;
                    Effect::None
                }
                Some(_) => Effect::Decide(Decision::Accepted),
                None => Effect::None,
            },
            Key::Char('r') if self.current().is_some() => Effect::Decide(Decision::Rejected),
            Key::Char('s') if self.current().is_some() => Effect::Decide(Decision::Skipped),
            Key::Char('e') if self.current().is_some_and(|e| e.code().is_some()) => Effect::Edit,
            Key::Char('A') => Effect::AcceptAllClean,
            _ => Effect::None,
        }
    }

    /// The Rule line (0-based) of the selected finding.
    pub fn finding_line(&self) -> u16 {
        let Some(entry) = self.current() else {
            return 0;
        };
        let Some(finding) = entry.migration.findings.get(self.selected_finding) else {
            return 0;
        };
        let line = entry.migration.source[..finding.span.start.min(entry.migration.source.len())]
            .matches('\n')
            .count();
        u16::try_from(line).unwrap_or(u16::MAX)
    }

    /// Records that the current rule was decided and moves to the next undecided one, after it
    /// or from the top; past the end when none is left ("nothing left to review").
    pub fn decided(&mut self, decision: Decision) {
        if let Some(entry) = self.current_mut() {
            entry.status = ReviewStatus::Decided(decision);
            let name = entry.rule.name.clone();
            self.message = format!("{} `{name}`", decision.as_str());
        }
        let open = |p: &usize| {
            matches!(
                self.entries[self.queue[*p]].status,
                ReviewStatus::Undecided | ReviewStatus::Changed(_)
            )
        };
        let next = (self.position + 1..self.queue.len())
            .chain(0..self.position)
            .find(open);
        self.position = next.unwrap_or(self.queue.len());
        self.selected_finding = 0;
        self.scroll = 0;
    }

    /// Queue positions of the remaining rules without error-level findings.
    pub fn clean_remaining(&self) -> Vec<usize> {
        (self.position..self.queue.len())
            .filter(|&p| {
                let entry = &self.entries[self.queue[p]];
                entry.status == ReviewStatus::Undecided
                    && entry.code().is_some()
                    && entry.broken.is_none()
                    && entry.worst() != Some(Severity::Error)
            })
            .collect()
    }

    fn jump_to(&mut self, query: &str) {
        let found = (0..self.queue.len()).find(|&p| {
            self.entries[self.queue[p]]
                .rule
                .name
                .to_lowercase()
                .contains(query)
        });
        match found {
            Some(position) => {
                self.position = position;
                self.selected_finding = 0;
                self.scroll = 0;
            }
            None => self.message = format!("no rule matches `{query}`"),
        }
    }
}

/// The keys the review understands, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Escape,
    Backspace,
    Tab,
    Up,
    Down,
    Left,
    Right,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn entry(name: &str, rule: &str) -> Entry {
        let migration = rules2actions::migrate_rule(rule.as_bytes());
        Entry {
            rule: rules2actions::source::RuleSource {
                name: name.to_string(),
                origin: format!("rules/{name}.js").into(),
                label: format!("rules/{name}.js"),
                script: Ok(rule.as_bytes().to_vec()),
                order: None,
                enabled: true,
                stage: "login_success".to_string(),
                id: None,
                repository: 0,
                hook: false,
                trigger: None,
                declared_versions: Vec::new(),
                runtime: None,
            },
            action: name.to_string(),
            source: rule.as_bytes().to_vec(),
            migration,
            broken: None,
            status: ReviewStatus::Undecided,
        }
    }

    pub(crate) const CLEAN: &str = "function (user, context, callback) {\n  context.idToken['https://example.com/e'] = user.email;\n  callback(null, user, context);\n}\n";
    pub(crate) const REVIEW: &str = "function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('verify'));\n  }\n  callback(null, user, context);\n}\n";
    pub(crate) const MANUAL: &str = "function (user, context, callback) {\n  if (context.sessionID) {\n    context.idToken['https://example.com/s'] = true;\n  }\n  callback(null, user, context);\n}\n";

    #[test]
    fn rules_with_errors_come_first_and_keys_move_and_decide() {
        let entries = vec![
            entry("clean", CLEAN),
            entry("review", REVIEW),
            entry("manual", MANUAL),
        ];
        let mut app = App::new(entries, &ReviewState::default());
        assert_eq!(app.current().unwrap().rule.name, "manual");
        assert_eq!(app.key(Key::Char('n')), Effect::None);
        assert_eq!(app.current().unwrap().rule.name, "review");
        assert_eq!(app.key(Key::Char('a')), Effect::Decide(Decision::Accepted));
        app.decided(Decision::Accepted);
        assert_eq!(app.current().unwrap().rule.name, "clean");
        app.key(Key::Char('p'));
        assert_eq!(
            app.current().unwrap().status,
            ReviewStatus::Decided(Decision::Accepted)
        );
        assert_eq!(app.key(Key::Char('q')), Effect::Quit);
    }

    #[test]
    fn search_jumps_and_a_broken_edit_cannot_be_accepted() {
        let entries = vec![entry("clean", CLEAN), entry("review", REVIEW)];
        let mut app = App::new(entries, &ReviewState::default());
        for key in [Key::Char('/'), Key::Char('c'), Key::Char('l'), Key::Enter] {
            app.key(key);
        }
        assert_eq!(app.current().unwrap().rule.name, "clean");
        app.current_mut()
            .unwrap()
            .set_code("exports.onExecutePostLogin = async (".to_string());
        assert_eq!(app.key(Key::Char('a')), Effect::None);
        assert!(app.message.contains("does not parse"), "{}", app.message);
        app.current_mut()
            .unwrap()
            .set_code("exports.onExecutePostLogin = async () => {};\n".to_string());
        assert_eq!(app.key(Key::Char('a')), Effect::Decide(Decision::Accepted));
    }

    #[test]
    fn resume_skips_decided_rules_and_brings_back_changed_ones() {
        let mut state = ReviewState::default();
        state.decide(
            "review",
            Decision::Accepted,
            REVIEW.as_bytes(),
            None,
            "ada",
            "t",
        );
        state.decide(
            "manual",
            Decision::Rejected,
            b"an older version",
            None,
            "ada",
            "t",
        );
        let entries = vec![
            entry("clean", CLEAN),
            entry("review", REVIEW),
            entry("manual", MANUAL),
        ];
        let app = App::new(entries, &state);
        let names: Vec<&str> = app
            .queue
            .iter()
            .map(|&i| app.entries[i].rule.name.as_str())
            .collect();
        assert_eq!(names, ["manual", "clean"]);
        assert_eq!(
            app.current().unwrap().status,
            ReviewStatus::Changed(Decision::Rejected)
        );
        assert_eq!(app.clean_remaining().len(), 1);
    }

    #[test]
    fn accepting_an_action_that_needs_manual_work_asks_first() {
        let mut app = App::new(vec![entry("manual", MANUAL)], &ReviewState::default());
        assert_eq!(app.key(Key::Char('a')), Effect::None);
        assert!(app.message.contains("press `a` again"), "{}", app.message);
        // Any other key cancels the question.
        assert_eq!(app.key(Key::Char('d')), Effect::None);
        assert_eq!(app.key(Key::Char('a')), Effect::None);
        assert_eq!(app.key(Key::Char('a')), Effect::Decide(Decision::Accepted));
        // An edit that removes the code left for a human is accepted at once.
        app.current_mut()
            .unwrap()
            .set_code("exports.onExecutePostLogin = async () => {};\n".to_string());
        assert_eq!(app.key(Key::Char('a')), Effect::Decide(Decision::Accepted));
    }
}
