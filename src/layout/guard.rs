//! `--guard`: each Action first checks whether its rule already ran in this login, as Auth0's
//! own migration guidance does, so that a team can switch Actions on while rules are still on:
//!
//! ```js
//! exports.onExecutePostLogin = async (event, api) => {
//!   if (api.rules.wasExecuted('rul_8fK2mQ1')) return;
//!   …
//! ```
//! Only rules whose id is known (a Management API export) can be guarded. A Hook's Action is
//! not: `api.rules` is post-login's alone, and a Hook runs beside its Action until it is
//! disabled.

/// `code` with the guard for `rule_id` as the first statement of `onExecutePostLogin`, or
/// `None` when the handler's header is not where the tool wrote it or the result would not
/// parse.
pub fn guarded(code: &str, rule_id: &str) -> Option<String> {
    let header = crate::trigger::POST_LOGIN.header_start();
    let start = code.find(&header)? + header.len();
    let params_end = start + code[start..].find(')')?;
    let api = code[start..params_end].split(',').nth(1)?.trim();
    let body = params_end + code[params_end..].find('{')? + 1;
    let newline = if code.contains("\r\n") { "\r\n" } else { "\n" };
    let id = serde_json::to_string(rule_id).ok()?.replace('\'', "\\'");
    let id = format!("'{}'", &id[1..id.len() - 1]);
    let mut out = String::with_capacity(code.len() + 64);
    out.push_str(&code[..body]);
    out.push_str(&format!(
        "{newline}  if ({api}.rules.wasExecuted({id})) return;"
    ));
    out.push_str(&code[body..]);
    // Every generated Action re-parses, guarded ones too.
    crate::parse::check_script(&out).is_ok().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_is_the_handlers_first_statement() {
        let code = "// why\nexports.onExecutePostLogin = async (event, api2) => {\n  api2.access.deny('x');\n};\n";
        assert_eq!(
            guarded(code, "rul_1").unwrap(),
            "// why\nexports.onExecutePostLogin = async (event, api2) => {\n  if (api2.rules.wasExecuted('rul_1')) return;\n  api2.access.deny('x');\n};\n"
        );
    }
}
