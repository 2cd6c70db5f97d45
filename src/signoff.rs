//! `gatehouse signoff --model M --gate G --decision D ...`

use std::process::ExitCode;

use anyhow::Result;
use std::path::Path;

use gatehouse::actions::signoff::{signoff_with, Attachment, AttachmentContent, ItemInput, SignoffRequest};
use gatehouse::actions::upload::read_file;
use gatehouse::actions::withdraw::WithdrawRequest;
use gatehouse::error::Input;
use gatehouse::link::LinkFile;
use gatehouse::signoff::{Decision, ItemState};
use gatehouse::Error;

use gatehouse::write::CommitSigner;

use crate::session::Context;

/// Record a sign-off on a model's gate
///
/// Writes signoffs/<model>/<gate>/<stamp>-<member>.toml in one commit whose author is you.
/// Items you do not mention stay open; an approval needs every item done or not-applicable.
/// Refused (exit 1, nothing written) when you are not a member, lack the gate's role, belong
/// to the model's organisation on an independent gate, or the gate is locked.
///
/// `--attach` and `--link` add new evidence in the same commit, cited by the item named: the
/// model's folder changes, so the model's other current sign-offs no longer count.
///
/// `--decision withdraw` takes back your latest sign-off on the gate instead: a new file that
/// names it, with your comment saying why (required). The original stays on the record and
/// no longer counts.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  gatehouse signoff --as lgarcia --model switch-c-1.6t --gate safety --decision approve \\\n    --item all=done --item bias=done:\"covers all seven languages\" \\\n    --evidence red-team-internal=evidence/red-team-2026-10.md --comment \"Residual risk acceptable.\""
)]
pub struct Args {
    #[arg(long, value_name = "M")]
    model: String,
    #[arg(long, value_name = "G")]
    gate: String,
    /// approve, changes-requested, reject, or withdraw (takes back your latest sign-off)
    #[arg(long, value_name = "D")]
    decision: String,
    /// An item's state: ID=done|not-applicable|open, optionally :NOTE; ID `all` sets every item
    #[arg(long = "item", value_name = "ID=STATE[:NOTE]")]
    items: Vec<String>,
    /// Evidence for an item: ID=PATH, a file in the model's folder (evidence/...)
    #[arg(long = "evidence", value_name = "ID=PATH")]
    pub(crate) evidence: Vec<String>,
    /// New evidence for an item: ID=PATH, a file on your disk copied to the model's evidence/
    /// under its own name (refused if that name is taken)
    #[arg(long = "attach", value_name = "ID=PATH")]
    pub(crate) attach: Vec<String>,
    /// A link for an item: ID=URL, written as evidence/<name>.link.toml with the time of signing
    /// as when you fetched it
    #[arg(long = "link", value_name = "ID=URL")]
    pub(crate) link: Vec<String>,
    /// What the links point to (which version, which page), recorded with each --link
    #[arg(long = "link-note", value_name = "T", default_value = "")]
    link_note: String,
    /// Your comment, recorded in the file and the commit message
    #[arg(long, value_name = "T", default_value = "")]
    comment: String,
}

fn parse_item(raw: &str) -> Result<(String, ItemState, String), Error> {
    let bad =
        || Error::invalid(Input::Item, format!("{raw:?} is not ID=STATE[:NOTE] (STATE: done, not-applicable, open)"));
    let (id, rest) = raw.split_once('=').ok_or_else(bad)?;
    let (state, note) = rest.split_once(':').unwrap_or((rest, ""));
    let state = ItemState::parse(state.trim()).ok_or_else(bad)?;
    Ok((id.trim().to_string(), state, note.trim().to_string()))
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let decision = Decision::parse(&args.decision).ok_or_else(|| {
        Error::invalid(
            Input::Decision,
            format!("{:?} is not one of approve, changes-requested, reject, withdraw", args.decision),
        )
    })?;
    if decision == Decision::Withdraw {
        return withdraw(ctx, args);
    }
    let mut parsed = Vec::new();
    for raw in &args.items {
        parsed.push(parse_item(raw)?);
    }
    let mut evidence = Vec::new();
    for raw in &args.evidence {
        let (id, path) =
            raw.split_once('=').ok_or_else(|| Error::invalid(Input::Evidence, format!("{raw:?} is not ID=PATH")))?;
        evidence.push((id.trim().to_string(), path.trim().to_string()));
    }
    let at = ctx.now()?;
    let attachments = attachments(&args, at)?;
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    // `all=STATE` expands to every item of the gate; items named after it override it.
    let mut items = Vec::new();
    if let Some((_, state, note)) = parsed.iter().find(|(id, _, _)| id == "all") {
        let fw = gatehouse::record::Framework::load(gov.repo(), &gov.tree_of(gov.head()?)?)?;
        if let Some(gate) = fw.gate(&args.gate) {
            items.extend(gate.items.iter().map(|i| ItemInput { id: i.id.clone(), state: *state, note: note.clone() }));
        }
    }
    for (id, state, note) in parsed.into_iter().filter(|(id, _, _)| id != "all") {
        items.retain(|i: &ItemInput| i.id != id);
        items.push(ItemInput { id, state, note });
    }
    // The written file must stay readable: a sign-off over the limit would be a malformed file.
    // TOML writes a control character as a six-byte escape.
    let toml_len = |s: &str| s.chars().map(|c| if c.is_control() { 6 } else { c.len_utf8() }).sum::<usize>();
    let text: usize = toml_len(&args.comment) + items.iter().map(|i| toml_len(&i.note) + 64).sum::<usize>();
    if text > gatehouse::limits::MAX_SIGNOFF_BYTES - 16 * 1024 {
        return Err(Error::invalid(
            Input::Comment,
            format!(
                "the comment and notes come to {text} bytes; a sign-off file holds at most {} KiB",
                gatehouse::limits::MAX_SIGNOFF_BYTES / 1024
            ),
        )
        .into());
    }
    let req = SignoffRequest {
        model: args.model,
        gate: args.gate,
        member,
        decision,
        items,
        evidence,
        comment: args.comment,
        at,
    };
    let outcome = signoff_with(&gov, &req, &attachments, signer.as_ref().map(|s| s as &dyn CommitSigner))?;
    ctx.index(&gov)?;
    if ctx.out.json {
        return ctx.out.print_json(&outcome);
    }
    println!("Recorded {} by {} on {}/{} in {}.", req.decision, req.member, req.model, req.gate, &outcome.commit[..12]);
    for a in &attachments {
        if let Ok(path) = a.path(&req.model) {
            println!("Attached models/{}/{path} for {}.", req.model, a.item);
        }
    }
    println!("Gate {} is now {}.", req.gate, ctx.out.bold(outcome.state.as_str()));
    Ok(ExitCode::SUCCESS)
}

/// `--decision withdraw`: a withdrawal records no items and cites no evidence.
fn withdraw(ctx: &Context, args: Args) -> Result<ExitCode> {
    if let Some(flag) = [
        (!args.items.is_empty(), "--item"),
        (!args.evidence.is_empty(), "--evidence"),
        (!args.attach.is_empty() || !args.link.is_empty(), "--attach"),
    ]
    .into_iter()
    .find_map(|(given, flag)| given.then_some(flag))
    {
        let input = if flag == "--item" { Input::Item } else { Input::Evidence };
        return Err(Error::invalid(input, "a withdrawal records no items or evidence").into());
    }
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let req = WithdrawRequest { model: args.model, gate: args.gate, member, comment: args.comment, at: ctx.now()? };
    let outcome = gatehouse::actions::withdraw::withdraw(&gov, &req, signer.as_ref().map(|s| s as &dyn CommitSigner))?;
    ctx.index(&gov)?;
    if ctx.out.json {
        return ctx.out.print_json(&outcome);
    }
    println!("{} withdrew their sign-off on {}/{} in {}.", req.member, req.model, req.gate, &outcome.commit[..12]);
    println!("Gate {} is now {}.", req.gate, ctx.out.bold(outcome.state.as_str()));
    Ok(ExitCode::SUCCESS)
}

/// `--attach ID=PATH` read from disk (regular files only, size-limited) and `--link ID=URL`.
fn attachments(args: &Args, at: chrono::DateTime<chrono::Utc>) -> Result<Vec<Attachment>, Error> {
    let split = |raw: &str, what: &str| {
        raw.split_once('=')
            .map(|(i, v)| (i.trim().to_string(), v.trim().to_string()))
            .filter(|(i, v)| !i.is_empty() && !v.is_empty())
            .ok_or_else(|| Error::invalid(Input::Evidence, format!("{raw:?} is not ID={what}")))
    };
    let mut out = Vec::new();
    for raw in &args.attach {
        let (item, path) = split(raw, "PATH")?;
        let path = Path::new(&path);
        let upload = read_file(Input::Evidence, path, "the evidence file", gatehouse::limits::MAX_EVIDENCE_BYTES)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push(Attachment { item, name, content: AttachmentContent::File(upload.content) });
    }
    for raw in &args.link {
        let (item, url) = split(raw, "URL")?;
        let link =
            LinkFile { url: url.clone(), fetched_at: gatehouse::signoff::format_at(at), note: args.link_note.clone() };
        out.push(Attachment { item, name: gatehouse::link::name_for(&url), content: AttachmentContent::Link(link) });
    }
    Ok(out)
}
