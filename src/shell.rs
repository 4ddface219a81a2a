//! What a shell needs from fantrack: completion scripts (clap_complete) and the man page
//! (clap_mangen), both generated from the same clap definitions as `--help`, so they never
//! drift from the real options.

use clap_complete::Shell;

/// The completion script for `shell`.
pub fn completions(shell: Shell, cmd: &mut clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    let name = cmd.get_name().to_string();
    clap_complete::generate(shell, cmd, name, &mut out);
    out
}

/// The man page, in roff, for `fantrack(1)`: synopsis, every option, the subcommands.
pub fn man(cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    Ok(out)
}

/// A page per subcommand (`fantrack-watch.1` …), for `man fantrack-watch`.
pub fn subcommand_pages(cmd: &clap::Command) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{}-{}", cmd.get_name(), sub.get_name());
        let mut out = Vec::new();
        clap_mangen::Man::new(sub.clone().name(name.clone())).render(&mut out)?;
        pages.push((format!("{name}.1"), out));
    }
    Ok(pages)
}
