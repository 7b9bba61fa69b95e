//! The rewrite families, as data: every edit the rewrite makes names the family that made it.
//!
//! A family is *core* when the Action cannot stand without its edits (the handler's header, the
//! callback shim): recovery never leaves those out one by one, and falls back to the
//! conservative form when they fail. Every other family is a *leaf*: its edits convert one
//! construct, and when they do not fit, recovery leaves that construct as the Rule wrote it and
//! names the family in the finding (R2A012).

macro_rules! families {
    ($($variant:ident = $name:literal, $file:literal, $role:ident, $handles:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Family { $($variant),* }

        impl Family {
            pub const ALL: &'static [Family] = &[$(Family::$variant),*];

            /// The name findings and reports use.
            pub fn name(self) -> &'static str {
                match self { $(Family::$variant => $name),* }
            }

            /// The file that holds the family's rewrite.
            pub fn file(self) -> &'static str {
                match self { $(Family::$variant => $file),* }
            }

            pub fn role(self) -> Role {
                match self { $(Family::$variant => Role::$role),* }
            }

            /// What the family converts.
            pub fn handles(self) -> &'static str {
                match self { $(Family::$variant => $handles),* }
            }
        }
    };
}

/// Whether the Action can stand without a family's edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Core,
    Leaf,
}

impl Family {
    pub fn is_core(self) -> bool {
        self.role() == Role::Core
    }
}

families! {
    Header = "header", "src/rewrite/header.rs", Core,
        "the handler's signature, the resume handler, and what goes above and at the top of the handler";
    CallbackShim = "callback-shim", "src/rewrite/callback.rs", Core,
        "an asynchronous rule's body, inside a promise that the rule's callback settles";
    Callback = "callback", "src/rewrite/callback.rs", Leaf,
        "calls of `callback`: a return, a deny, or nothing";
    Claims = "claims", "src/rewrite/claims.rs", Leaf,
        "`context.idToken` / `context.accessToken` writes, and their local aliases";
    ContextReads = "context-reads", "src/rewrite/context_reads.rs", Leaf,
        "reads of `context.*`, through the context table";
    ContextView = "context-view", "src/rewrite/context_view.rs", Leaf,
        "`context` or its objects read whole: Rules-shaped views and `_.get` paths";
    AccessScopes = "access-scopes", "src/rewrite/scopes.rs", Leaf,
        "changes to the access token's scopes";
    Credentials = "credentials", "src/rewrite/credentials.rs", Leaf,
        "credentials written into the rule, moved to secrets";
    Secrets = "secrets", "src/rewrite/secrets.rs", Leaf,
        "`configuration.X`, read as `event.secrets.X`";
    Globals = "globals", "src/rewrite/globals.rs", Leaf,
        "`global.X`, kept in a module-scope variable";
    Helpers = "helpers", "src/rewrite/helpers.rs", Leaf,
        "the rule's helper functions that take `user` or `context`";
    HookParameters = "hook-parameters", "src/rewrite/hook_parameters.rs", Leaf,
        "a Hook's parameters that are `event` members: `client`, `scope`, `audience`, `recipient`, `text`";
    HookResult = "hook-result", "src/rewrite/hook_result.rs", Leaf,
        "what a Hook handed back through its callback: access-token claims and registration metadata";
    ManagementApi = "management-api", "src/rewrite/management_api.rs", Leaf,
        "the `auth0` object's Management API client and its token";
    Metadata = "metadata", "src/rewrite/metadata.rs", Leaf,
        "`auth0.users.updateAppMetadata` / `updateUserMetadata`, as `api.user` calls";
    Modules = "modules", "src/rewrite/modules.rs", Leaf,
        "`require` of the Rules-era packages, and the sandbox's module globals";
    Multifactor = "multifactor", "src/rewrite/multifactor.rs", Leaf,
        "`context.multifactor`, as `api.multifactor.enable`";
    Platform = "platform", "src/rewrite/platform.rs", Leaf,
        "the rest of the Rules platform: `this`, `arguments`, `UnauthorizedError`";
    PrimaryUser = "primary-user", "src/rewrite/primary_user.rs", Leaf,
        "`context.primaryUser`, as `api.authentication.setPrimaryUser`";
    PromiseChain = "promise-chain", "src/rewrite/promise_chain.rs", Leaf,
        "promise chains and node-style calls that end in the callback, awaited";
    Redirect = "redirect", "src/rewrite/redirect.rs", Leaf,
        "`context.redirect` and the resumed login, as `api.redirect` and `onContinuePostLogin`";
    RedirectToken = "redirect-token", "src/rewrite/redirect_token.rs", Leaf,
        "tokens signed for, or read back from, a redirect";
    Saml = "saml", "src/rewrite/saml.rs", Leaf,
        "`context.samlConfiguration`, as `api.samlResponse` calls";
    User = "user", "src/rewrite/user.rs", Leaf,
        "reads of `user.*`, as `event.user.*`";
    UserFields = "user-fields", "src/rewrite/user_fields.rs", Leaf,
        "changes to the `user` object, kept in locals";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_names_an_existing_file_and_a_unique_name() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut names = Vec::new();
        for family in Family::ALL {
            let path = std::path::Path::new(root).join(family.file());
            assert!(
                path.is_file(),
                "{}: {} is missing",
                family.name(),
                family.file()
            );
            assert!(!names.contains(&family.name()), "{} twice", family.name());
            names.push(family.name());
        }
    }

    #[test]
    fn every_family_makes_edits_in_its_own_file() {
        let root = env!("CARGO_MANIFEST_DIR");
        for family in Family::ALL {
            let text = std::fs::read_to_string(std::path::Path::new(root).join(family.file()))
                .expect("family file");
            let variant = format!("Family::{family:?}");
            assert!(
                text.contains(&variant),
                "{} declares {} but makes no edit there",
                family.file(),
                variant
            );
        }
    }
}
