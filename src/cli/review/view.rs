//! Drawing the review: a header, the Rule-to-Action diff (unified or side by side), the findings
//! with the selected one explained, and a footer of keys; `?` shows every key.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use rules2actions::diff_rows::{changed_words, row_pieces, rows, wrap};
use rules2actions::registry::Severity;
use rules2actions::review::ReviewStatus;
use similar::{DiffOp, TextDiff};

use super::app::{App, Entry};

pub const KEYS: &[(&str, &str)] = &[
    ("a", "accept: write the Action"),
    ("r", "reject: write nothing"),
    ("s", "skip: decide later"),
    ("e", "edit the Action in $VISUAL / $EDITOR"),
    ("A", "accept every remaining rule without errors"),
    ("n / p", "next / previous rule"),
    ("/", "search by rule name"),
    ("d", "unified / side-by-side diff"),
    ("tab", "next finding"),
    ("↑ / ↓", "scroll"),
    ("?", "this help"),
    ("q", "quit (decisions are saved)"),
];

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    if area.width < 20 || area.height < 8 {
        frame.render_widget(Paragraph::new("terminal too small"), area);
        return;
    }
    let [header, body, findings, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(7),
        Constraint::Length(1),
    ])
    .areas(area);
    let Some(entry) = app.current() else {
        frame.render_widget(
            Paragraph::new(format!(
                "Nothing left to review. {}  (q quits)",
                app.message
            )),
            area,
        );
        return;
    };
    frame.render_widget(Paragraph::new(header_lines(app, entry)), header);
    let diff = diff_lines(entry, app.side_by_side, body.width);
    frame.render_widget(
        Paragraph::new(diff)
            .block(
                Block::default()
                    .borders(Borders::TOP)
                    .title(" Rule → Action "),
            )
            .scroll((app.scroll, 0)),
        body,
    );
    frame.render_widget(
        Paragraph::new(finding_lines(app, entry))
            .block(Block::default().borders(Borders::TOP).title(" Findings "))
            .wrap(Wrap { trim: true }),
        findings,
    );
    let footer_text = match &app.search {
        Some(query) => format!("/{query}"),
        None => format!(
            "a accept  r reject  s skip  e edit  A accept clean  n/p  / search  d view  ? help  q quit  │ {}",
            app.message
        ),
    };
    frame.render_widget(
        Paragraph::new(footer_text).style(Style::default().add_modifier(Modifier::REVERSED)),
        footer,
    );
    if app.help {
        help(frame, area);
    }
}

fn header_lines(app: &App, entry: &Entry) -> Vec<Line<'static>> {
    let status = match entry.status {
        ReviewStatus::Undecided => "undecided".to_string(),
        ReviewStatus::Decided(d) => d.as_str().to_string(),
        ReviewStatus::Changed(d) => format!("CHANGED since {}", d.as_str()),
    };
    let order = entry
        .rule
        .order
        .map_or_else(|| "-".to_string(), |o| o.to_string());
    vec![
        Line::from(vec![
            Span::styled(
                format!(
                    "Rule {}/{}: {}",
                    app.position + 1,
                    app.queue.len(),
                    entry.rule.name
                ),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("  → {}", entry.action)),
        ]),
        Line::from(format!(
            "order {order} · {} · {} errors, {} warnings, {} notes · {status}{}",
            entry.migration.status().label(),
            entry.count(Severity::Error),
            entry.count(Severity::Warning),
            entry.count(Severity::Info),
            if entry.rule.enabled {
                ""
            } else {
                " · disabled"
            },
        )),
    ]
}

fn diff_lines(entry: &Entry, side_by_side: bool, width: u16) -> Vec<Line<'static>> {
    let before = entry.migration.source.as_str();
    let Some(after) = entry.code() else {
        return vec![Line::from("The rule was not converted; see the findings.")];
    };
    let diff = TextDiff::from_lines(before, after);
    if !side_by_side {
        return unified_lines(&diff);
    }
    // Each changed line beside its replacement, changed words reversed, long lines wrapped.
    let half = usize::from(width.saturating_sub(3) / 2).max(1);
    let old_lines: Vec<&str> = before.lines().collect();
    let new_lines: Vec<&str> = after.lines().collect();
    let mut lines = Vec::new();
    for row in rows(before, after, &old_lines, &new_lines) {
        let old = row.old.map(|o| old_lines[o].replace('\t', "  "));
        let new = row.new.map(|n| new_lines[n].replace('\t', "  "));
        let (left, right) = row_pieces(&row, old.as_deref(), new.as_deref());
        let (left, right) = (wrap(&left, half), wrap(&right, half));
        for k in 0..left.len().max(right.len()).max(1) {
            let mut spans = cell(left.get(k), half, row.same, Color::Red);
            spans.push(Span::raw(" │ "));
            spans.extend(cell(right.get(k), half, row.same, Color::Green));
            lines.push(Line::from(spans));
        }
    }
    lines
}

/// One column of a side-by-side row, padded to `width`.
fn cell(
    pieces: Option<&Vec<(bool, String)>>,
    width: usize,
    same: bool,
    color: Color,
) -> Vec<Span<'static>> {
    let style = if same {
        Style::default()
    } else {
        Style::default().fg(color)
    };
    let mut spans = Vec::new();
    let mut used = 0;
    for (changed, text) in pieces.into_iter().flatten() {
        used += text.chars().count();
        let style = if *changed && !same {
            style.add_modifier(Modifier::REVERSED)
        } else {
            style
        };
        spans.push(Span::styled(text.clone(), style));
    }
    spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
    spans
}

/// Unified: changed lines in color and, where a Rule line was replaced by an Action line, the
/// changed words within them reversed.
fn unified_lines<'t>(diff: &TextDiff<'t, 't, 't, str>) -> Vec<Line<'static>> {
    let old: Vec<&str> = diff.old_slices().to_vec();
    let new: Vec<&str> = diff.new_slices().to_vec();
    let plain = |sign: &str, text: &str, color: Color| {
        Line::from(Span::styled(
            format!("{sign}{}", text.trim_end_matches(['\n', '\r'])),
            Style::default().fg(color),
        ))
    };
    let mut lines = Vec::new();
    for op in diff.ops() {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                for line in &old[old_index..old_index + len] {
                    lines.push(plain(" ", line, Color::Reset));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for line in &old[old_index..old_index + old_len] {
                    lines.push(plain("-", line, Color::Red));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for line in &new[new_index..new_index + new_len] {
                    lines.push(plain("+", line, Color::Green));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let pairs = old_len.min(new_len);
                let mut removed = Vec::new();
                let mut added = Vec::new();
                for k in 0..pairs {
                    let (before, after) = marked(old[old_index + k], new[new_index + k]);
                    removed.push(before);
                    added.push(after);
                }
                for line in &old[old_index + pairs..old_index + old_len] {
                    removed.push(plain("-", line, Color::Red));
                }
                for line in &new[new_index + pairs..new_index + new_len] {
                    added.push(plain("+", line, Color::Green));
                }
                lines.extend(removed);
                lines.extend(added);
            }
        }
    }
    lines
}

/// A replaced line pair with the changed words reversed.
fn marked(old: &str, new: &str) -> (Line<'static>, Line<'static>) {
    let (old, new) = (
        old.trim_end_matches(['\n', '\r']),
        new.trim_end_matches(['\n', '\r']),
    );
    let red = Style::default().fg(Color::Red);
    let green = Style::default().fg(Color::Green);
    let mut before = vec![Span::styled("-", red)];
    let mut after = vec![Span::styled("+", green)];
    let (old, new) = changed_words(old, new);
    for (line, pieces, style) in [(&mut before, old, red), (&mut after, new, green)] {
        for (changed, text) in pieces {
            let style = if changed {
                style.add_modifier(Modifier::REVERSED)
            } else {
                style
            };
            line.push(Span::styled(text.to_string(), style));
        }
    }
    (Line::from(before), Line::from(after))
}

fn finding_lines(app: &App, entry: &Entry) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(broken) = &entry.broken {
        lines.push(Line::from(Span::styled(
            broken.clone(),
            Style::default().fg(Color::Red),
        )));
    }
    let index = rules2actions::span::LineIndex::new(&entry.migration.source);
    for (i, finding) in entry.migration.findings.iter().enumerate() {
        let at = index.position(finding.span.start);
        let color = match finding.severity() {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Info => Color::Blue,
        };
        let marker = if i == app.selected_finding {
            "▶ "
        } else {
            "  "
        };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(
                format!(
                    "{} {} {}:{} ",
                    finding.code.id(),
                    finding.severity(),
                    at.line,
                    at.column
                ),
                Style::default().fg(color),
            ),
            Span::raw(finding.message.clone()),
        ]));
    }
    if let Some(selected) = entry.migration.findings.get(app.selected_finding) {
        lines.insert(
            0,
            Line::from(Span::styled(
                format!("{}: {}", selected.code.id(), selected.code.info().summary),
                Style::default().add_modifier(Modifier::ITALIC),
            )),
        );
    }
    if lines.is_empty() {
        lines.push(Line::from("No findings."));
    }
    lines
}

fn help(frame: &mut Frame<'_>, area: Rect) {
    let height = u16::try_from(KEYS.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let width = 56.min(area.width);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let lines: Vec<Line<'static>> = KEYS
        .iter()
        .map(|(key, what)| Line::from(format!("{key:>7}  {what}")))
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Keys (any key closes) "),
        ),
        popup,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::review::app::tests::{entry, MANUAL, REVIEW};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use rules2actions::review::ReviewState;

    fn screen(app: &App, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| draw(frame, app)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_screen_shows_the_rule_its_diff_findings_and_keys() {
        let mut app = App::new(
            vec![entry("review", REVIEW), entry("manual", MANUAL)],
            &ReviewState::default(),
        );
        let text = screen(&app, 100, 30);
        assert!(text.contains("Rule 1/2: manual"), "{text}");
        assert!(text.contains("R2A201 error"), "{text}");
        assert!(text.contains("a accept"), "{text}");
        assert!(
            text.contains("-function (user, context, callback) {"),
            "{text}"
        );
        app.key(super::super::app::Key::Char('?'));
        assert!(screen(&app, 100, 30).contains("accept every remaining rule without errors"));
    }

    #[test]
    fn changed_spans_within_changed_lines_are_highlighted() {
        let app = App::new(vec![entry("review", REVIEW)], &ReviewState::default());
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal.draw(|frame| draw(frame, &app)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let row = (0..30)
            .find(|&y| {
                let line: String = (0..100)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect();
                line.starts_with("+  if (!event.user.email_verified)")
            })
            .expect("the changed line");
        let reversed: String = (0..100)
            .filter(|&x| buffer[(x, row)].modifier.contains(Modifier::REVERSED))
            .map(|x| buffer[(x, row)].symbol().to_string())
            .collect();
        assert_eq!(reversed, "event.", "only the changed word is marked");
    }

    #[test]
    fn tiny_and_resized_terminals_do_not_crash() {
        let mut app = App::new(vec![entry("review", REVIEW)], &ReviewState::default());
        app.side_by_side = true;
        for (width, height) in [(1, 1), (10, 3), (19, 8), (20, 8), (40, 9), (300, 80)] {
            screen(&app, width, height);
        }
        app.help = true;
        for (width, height) in [(20, 8), (30, 10)] {
            screen(&app, width, height);
        }
    }

    #[test]
    fn side_by_side_pairs_a_changed_line_with_its_replacement() {
        let mut app = App::new(vec![entry("review", REVIEW)], &ReviewState::default());
        app.side_by_side = true;
        let screen = screen(&app, 160, 30);
        let row = screen
            .lines()
            .find(|l| l.contains("return callback(new UnauthorizedError('verify'));"))
            .expect("the Rule line");
        assert!(
            row.contains("return api.access.deny('verify');"),
            "{screen}"
        );
    }
}
