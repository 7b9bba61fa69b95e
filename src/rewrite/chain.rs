//! Member chains such as `context.request.geoip['country_code']`, flattened root first.

use std::borrow::Cow;

use swc_common::Spanned;

use swc_ecma_ast::{Expr, Ident, Lit, MemberExpr, MemberProp, OptChainBase};

use crate::parse::Offsets;
use crate::span::Span;

pub enum Key<'a> {
    /// `.name` or `['literal']`.
    Static(Cow<'a, str>),
    Computed(&'a Expr),
}

pub struct Link<'a> {
    pub key: Key<'a>,
    /// End of the member expression that ends with this link.
    pub end: usize,
    /// Source of a computed key, including a string literal's quotes.
    pub key_span: Option<Span>,
    pub optional: bool,
}

pub struct Chain<'a> {
    pub root: &'a Ident,
    pub root_span: Span,
    pub links: Vec<Link<'a>>,
}

impl<'a> Chain<'a> {
    /// The leading static keys, up to the first computed one.
    pub fn static_prefix(&self) -> Vec<&str> {
        self.links
            .iter()
            .map_while(|link| match &link.key {
                Key::Static(name) => Some(name.as_ref()),
                Key::Computed(_) => None,
            })
            .collect()
    }

    /// The span from the root to the end of link `count - 1`; the root alone for 0.
    pub fn prefix_span(&self, count: usize) -> Span {
        let end = match count {
            0 => self.root_span.end,
            n => self.links[n - 1].end,
        };
        Span::new(self.root_span.start, end)
    }

    pub fn span(&self) -> Span {
        self.prefix_span(self.links.len())
    }

    pub fn computed_keys(&self) -> impl Iterator<Item = &'a Expr> + '_ {
        self.links.iter().filter_map(|link| match link.key {
            Key::Computed(expr) => Some(expr),
            Key::Static(_) => None,
        })
    }

    pub fn static_key(&self, index: usize) -> Option<&str> {
        match &self.links.get(index)?.key {
            Key::Static(name) => Some(name),
            Key::Computed(_) => None,
        }
    }
}

pub fn flatten(expr: &Expr, offsets: Offsets) -> Option<Chain<'_>> {
    let mut links = Vec::new();
    let mut current = expr;
    loop {
        match current {
            Expr::Member(member) => {
                links.push(link(member, false, offsets));
                current = &member.obj;
            }
            Expr::OptChain(chain) => match &*chain.base {
                OptChainBase::Member(member) => {
                    links.push(link(member, chain.optional, offsets));
                    current = &member.obj;
                }
                OptChainBase::Call(_) => return None,
            },
            Expr::Ident(root) => {
                links.reverse();
                return Some(Chain {
                    root,
                    root_span: offsets.span(root.span),
                    links,
                });
            }
            _ => return None,
        }
    }
}

pub fn flatten_member(member: &MemberExpr, offsets: Offsets) -> Option<Chain<'_>> {
    let mut chain = flatten(&member.obj, offsets)?;
    chain.links.push(link(member, false, offsets));
    Some(chain)
}

fn link(member: &MemberExpr, optional: bool, offsets: Offsets) -> Link<'_> {
    let key = match &member.prop {
        MemberProp::Ident(name) => Key::Static(Cow::Borrowed(name.sym.as_str())),
        MemberProp::Computed(computed) => match &*computed.expr {
            Expr::Lit(Lit::Str(s)) => match s.value.as_atom() {
                Some(atom) => Key::Static(Cow::Borrowed(atom.as_str())),
                None => Key::Computed(&computed.expr),
            },
            expr => Key::Computed(expr),
        },
        MemberProp::PrivateName(name) => Key::Static(Cow::Owned(format!("#{}", name.name))),
    };
    let key_span = match &member.prop {
        MemberProp::Computed(computed) => Some(offsets.span(computed.expr.span())),
        _ => None,
    };
    Link {
        key,
        end: offsets.span(member.span).end,
        key_span,
        optional,
    }
}
