//! A Hook's parameters that are `event` members: credentials-exchange's `client`, `scope` and
//! `audience`, send-phone-message's `recipient` and `text`. Where a member moved, the table of
//! the trigger says where (`src/trigger/`).
//!
//! Hook (credentials-exchange):
//! ```js
//! module.exports = function (client, scope, audience, context, cb) {
//!   const access_token = {};
//!   access_token['https://example.com/client'] = client.name;
//!   access_token['https://example.com/tenant'] = client.tenant;
//!   access_token['https://example.com/api'] = audience;
//!   cb(null, access_token);
//! };
//! ```
//! Action:
//! ```js
//! exports.onExecuteCredentialsExchange = async (event, api) => {
//! access_token['https://example.com/client'] = event.client.name;
//! access_token['https://example.com/tenant'] = event.tenant.id;
//! access_token['https://example.com/api'] = event.resource_server.identifier;
//! ```
//! Refused: nothing; a member of `client` the trigger does not list keeps its name
//! (`client.metadata` is `event.client.metadata`).

use super::chain::Chain;
use super::Rewriter;
use crate::family::Family;
use crate::span::Span;

impl Rewriter<'_> {
    /// The parameter read whole: `prefix` keeps a shorthand property valid.
    pub(super) fn hook_parameter_value(&mut self, span: Span, path: &str, prefix: &str) {
        let value = format!("{prefix}{}.{path}", self.event);
        self.replace(Family::HookParameters, span, value);
    }

    /// A member chain on the parameter: a member that moved goes to its place.
    pub(super) fn hook_parameter_read(
        &mut self,
        chain: &Chain<'_>,
        path: &str,
        members: &[(&str, &str)],
    ) {
        let first = chain.static_key(0);
        match members.iter().find(|(member, _)| Some(*member) == first) {
            Some((_, target)) => {
                let value = format!("{}.{target}", self.event);
                self.replace(Family::HookParameters, chain.prefix_span(1), value);
            }
            None => self.hook_parameter_value(chain.root_span, path, ""),
        }
    }
}
