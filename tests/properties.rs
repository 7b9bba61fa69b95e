//! Property tests over generated rules and arbitrary bytes: the output always parses, a second
//! run changes nothing, deny paths survive, and no input makes the tool panic.

use proptest::prelude::*;
use rules2actions::parse::check_script;
use rules2actions::{migrate_rule, Outcome};
use swc_ecma_visit::{Visit, VisitWith};

/// A statement template; `{u}`, `{c}`, `{cb}` are the rule's parameters, `{n}` a number.
struct Fragment {
    text: &'static str,
    denies: bool,
}

const FRAGMENTS: &[Fragment] = &[
    Fragment { text: "if ({u}.email_verified) {\n{i}{i}return {cb}(null, {u}, {c});\n{i}}", denies: false },
    Fragment { text: "if ({c}.clientID === 'client{n}') {\n{i}{i}return {cb}(new UnauthorizedError('denied {n}'));\n{i}}", denies: true },
    Fragment { text: "if (!{u}.email) return {cb}(new Error('no email {n}'));", denies: true },
    Fragment { text: "if ({u}.app_metadata.blocked{n}) return {cb}('blocked {n}');", denies: true },
    Fragment { text: "{c}.idToken['https://example.com/claim{n}'] = {u}.user_metadata.v{n};", denies: false },
    Fragment { text: "{c}.accessToken['https://api.example.com/geo{n}'] = {c}.request.geoip.country_code;", denies: false },
    Fragment { text: "var x{n} = {c}.connection + {c}.request.userAgent;", denies: false },
    Fragment { text: "// a comment {n}", denies: false },
    Fragment { text: "/* a block comment {n} */", denies: false },
    Fragment { text: "var secret{n} = configuration.SECRET_{n};", denies: false },
    Fragment { text: "if ({c}.stats.loginsCount > {n}) {\n{i}{i}{c}.multifactor = { provider: 'any', allowRememberBrowser: false };\n{i}}", denies: false },
    Fragment { text: "try {\n{i}{i}JSON.parse({u}.user_metadata.raw{n});\n{i}} catch (e) {\n{i}{i}return {cb}(e);\n{i}}", denies: true },
    Fragment { text: "var roles{n} = _.uniq({u}.app_metadata.roles || []);", denies: false },
    Fragment { text: "", denies: false },
    Fragment { text: "{c}.idToken = { ...{c}.idToken, 'https://example.com/s{n}': {n} };", denies: false },
    Fragment { text: "Object.assign({c}.accessToken, {\n{i}{i}// comment {n}\n{i}{i}'https://example.com/o{n}': {u}.email,\n{i}});", denies: false },
    Fragment { text: "{c}.accessToken.scope = 'openid read:{n}';", denies: false },
    Fragment { text: "var alias{n} = {c}.idToken;\n{i}alias{n}['https://example.com/a{n}'] = {n};", denies: false },
    Fragment { text: "{u}.field{n} = {n};\n{i}{c}.idToken['https://example.com/f{n}'] = {u}.field{n};", denies: false },
    Fragment { text: "if ({u}.name) {c}.accessToken = { 'https://example.com/w{n}': 1, 'https://example.com/x{n}': 2 };", denies: false },
    Fragment { text: "if ({c}.request.geoip.country_code === 'FR') {c}.idToken['https://example.com/geo{n}'] = {c}.request.geoip.city_name;", denies: false },
    Fragment { text: "{c}.multifactor = {\n{i}{i}provider: 'duo', // keys from settings\n{i}{i}ikey: configuration.IKEY,\n{i}{i}skey: configuration.SKEY,\n{i}{i}host: configuration.HOST,\n{i}{i}username: {u}.email,\n{i}};", denies: false },
    Fragment { text: "if ({c}.stats.loginsCount > {n}) {c}.primaryUser = 'auth0|' + {u}.user_id;", denies: false },
    Fragment { text: "['a', 'b'].forEach((r) => {c}.accessToken['https://example.com/r{n}_' + r] = true);", denies: false },
    Fragment { text: "var err{n} = null;\n{i}if ({u}.app_metadata.blocked) err{n} = new UnauthorizedError('blocked {n}');\n{i}if (err{n}) return {cb}(err{n});", denies: true },
    Fragment { text: "if ({c}.stats.loginsCount > {n}) {c}.redirect = { url: 'https://r.example.com/{n}?c=' + {c}.clientID };", denies: false },
    Fragment { text: "{u}.user_metadata.seen{n} = {n};\n{i}auth0.users.updateUserMetadata({u}.user_id, {u}.user_metadata);", denies: false },
    Fragment { text: "{c}.samlConfiguration.mappings = { 'urn:a{n}': 'user_metadata.v{n}', 'urn:e{n}': 'email' };\n{i}{c}.samlConfiguration.lifetimeInSeconds = {n};", denies: false },
    Fragment { text: "{u}.app_metadata.flag{n} = true;\n{i}{c}.idToken['https://example.com/m{n}'] = {u}.app_metadata.flag{n};", denies: false },
];

const USERS: &[&str] = &["user", "u", "usr"];
const CONTEXTS: &[&str] = &["context", "ctx", "c"];
const CALLBACKS: &[&str] = &["callback", "cb", "done"];
const HEADERS: &[&str] = &[
    "function ({u}, {c}, {cb}) {",
    "function rule{n}({u}, {c}, {cb}) {",
    "async function ({u}, {c}, {cb}) {",
];
const INDENTS: &[&str] = &["  ", "    ", "\t"];

#[derive(Debug, Clone)]
struct GeneratedRule {
    text: String,
    denies: usize,
    params: [&'static str; 3],
}

fn fill(template: &str, params: [&str; 3], indent: &str, n: usize) -> String {
    template
        .replace("{u}", params[0])
        .replace("{cb}", params[2])
        .replace("{c}", params[1])
        .replace("{i}", indent)
        .replace("{n}", &n.to_string())
}

fn rules() -> impl Strategy<Value = GeneratedRule> {
    rules_from(|_| true, any::<bool>())
}

/// Rules Node.js can run as they are: no sandbox modules, and a final callback.
fn runnable_rules() -> impl Strategy<Value = GeneratedRule> {
    rules_from(|f| !f.text.contains("_."), Just(true))
}

fn rules_from(
    allowed: fn(&Fragment) -> bool,
    trailing_call: impl Strategy<Value = bool>,
) -> impl Strategy<Value = GeneratedRule> {
    let usable: Vec<usize> = (0..FRAGMENTS.len())
        .filter(|i| allowed(&FRAGMENTS[*i]))
        .collect();
    (
        0..USERS.len(),
        0..CONTEXTS.len(),
        0..CALLBACKS.len(),
        0..HEADERS.len(),
        0..INDENTS.len(),
        proptest::collection::vec(proptest::sample::select(usable), 0..12),
        trailing_call,
        any::<bool>(),
    )
        .prop_map(
            |(u, c, cb, header, indent, picks, trailing_call, semicolon)| {
                let params = [USERS[u], CONTEXTS[c], CALLBACKS[cb]];
                let indent = INDENTS[indent];
                let mut text = format!(
                    "// generated rule\n{}\n",
                    fill(HEADERS[header], params, indent, 0)
                );
                let mut denies = 0;
                for (n, pick) in picks.iter().enumerate() {
                    let fragment = &FRAGMENTS[*pick];
                    denies += usize::from(fragment.denies);
                    text.push_str(&format!(
                        "{indent}{}\n",
                        fill(fragment.text, params, indent, n)
                    ));
                }
                if trailing_call {
                    text.push_str(&format!(
                        "{indent}{}(null, {}, {});\n",
                        params[2], params[0], params[1]
                    ));
                }
                text.push_str(if semicolon { "};\n" } else { "}\n" });
                GeneratedRule {
                    text,
                    denies,
                    params,
                }
            },
        )
}

/// Identifiers in reference or binding position (not property names).
#[derive(Default)]
struct Identifiers(Vec<String>);

impl Visit for Identifiers {
    fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
        self.0.push(ident.sym.to_string());
    }
}

fn identifiers(code: &str) -> Vec<String> {
    use swc_common::BytePos;
    use swc_ecma_parser::{EsSyntax, Parser, StringInput, Syntax};
    let input = StringInput::new(code, BytePos(1), BytePos(1 + code.len() as u32));
    let mut parser = Parser::new(Syntax::Es(EsSyntax::default()), input, None);
    let script = parser.parse_script().expect("output parses");
    let mut found = Identifiers::default();
    script.visit_with(&mut found);
    found.0
}

/// No R2A006: the tool neither panicked nor gave up on an Action that does not parse.
fn no_internal_error(migration: &rules2actions::Migration) -> bool {
    !migration
        .findings
        .iter()
        .any(|f| f.code == rules2actions::registry::Code::InvalidOutput)
}

proptest! {
    // 256 cases by default; `PROPTEST_CASES=5000 cargo test --test properties` searches longer.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn generated_rules_convert_faithfully(rule in rules()) {
        let migration = migrate_rule(rule.text.as_bytes());
        prop_assert!(no_internal_error(&migration), "{:?}", migration.findings);
        let Outcome::Converted(output) = &migration.outcome else {
            panic!("not converted: {:?}\n{}", migration.findings, rule.text);
        };
        prop_assert!(check_script(output).is_ok(), "does not parse:\n{output}");
        prop_assert_eq!(output.matches(".access.deny(").count(), rule.denies, "deny paths:\n{}", output);
        let names = identifiers(output);
        for param in rule.params {
            prop_assert!(!names.iter().any(|n| n == param), "`{}` survives in:\n{}", param, output);
        }
        let again = migrate_rule(output.as_bytes());
        prop_assert_eq!(&again.outcome, &Outcome::AlreadyAction);
        prop_assert_eq!(again.output(), Some(output.as_str()));
        for line in rule.text.lines().filter(|l| l.trim_start().starts_with("//") || l.contains("/*")) {
            prop_assert!(output.contains(line.trim()), "lost comment {:?}", line);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let migration = migrate_rule(&bytes);
        prop_assert!(no_internal_error(&migration), "{:?}", migration.findings);
        if let Outcome::Converted(output) = &migration.outcome {
            prop_assert!(check_script(output).is_ok());
        }
    }

    #[test]
    fn mutated_rules_never_panic(
        rule in rules(),
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..4, "[(){}\\[\\];,.'\"`=/*a-z ]{0,3}"), 1..4),
    ) {
        let mut text = rule.text.clone().into_bytes();
        for (at, delete, insert) in cuts {
            let start = at.index(text.len().max(1)).min(text.len());
            let end = (start + delete).min(text.len());
            text.splice(start..end, insert.bytes());
        }
        let migration = migrate_rule(&text);
        // A rule that parses always yields an Action: recovery, then the conservative form,
        // leave no internal error.
        prop_assert!(no_internal_error(&migration), "{:?}\n{}", migration.findings, String::from_utf8_lossy(&text));
        if let Outcome::Converted(output) = &migration.outcome {
            prop_assert!(check_script(output).is_ok(), "does not parse:\n{output}");
            let again = migrate_rule(output.as_bytes());
            prop_assert_eq!(again.output(), Some(output.as_str()));
        }
    }
}

proptest! {
    // Each case starts Node.js, so fewer of them.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Generated rules and their Actions run side by side in Node.js: same denials, claims,
    /// scopes and MFA for every scenario of the harness.
    #[test]
    fn generated_rules_behave_the_same_in_node(rule in runnable_rules()) {
        let migration = migrate_rule(rule.text.as_bytes());
        let output = migration.output().expect("converted");
        // A smaller search per case: the cases themselves explore the shapes.
        let options = rules2actions::verify::VerifyOptions {
            budget: rules2actions::verify::Budget {
                scenarios: 96,
                ..rules2actions::verify::Budget::default()
            },
            ..rules2actions::verify::VerifyOptions::default()
        };
        let verification = rules2actions::verify::verify(&migration, output, &options)
            .expect("Node.js runs the harness");
        prop_assert!(
            verification.unexpected.is_empty(),
            "{}\n---\n{}\n---\n{:#?}",
            rule.text,
            output,
            verification.unexpected.first()
        );
    }
}
