//! The process table, for ending what a test started and for waiting until
//! it is gone: every process's parent, a process's tree, whether one still
//! runs, and ending a tree deepest first, by process id (sysinfo).

use std::process::Child;

/// Every live process's parent, from the process table.
pub fn parents() -> Vec<(u32, u32)> {
    parents_in(&table(sysinfo::ProcessesToUpdate::All))
}

/// The process table as it is now (ids, parents, states), for `which`.
fn table(which: sysinfo::ProcessesToUpdate<'_>) -> sysinfo::System {
    let mut sys = sysinfo::System::new();
    sys.refresh_processes_specifics(which, true, sysinfo::ProcessRefreshKind::nothing());
    sys
}

fn parents_in(sys: &sysinfo::System) -> Vec<(u32, u32)> {
    sys.processes()
        .iter()
        .filter_map(|(pid, p)| Some((pid.as_u32(), p.parent()?.as_u32())))
        .collect()
}

/// `root` and every process below it.
pub fn descendants(root: u32) -> Vec<u32> {
    tree_in(&table(sysinfo::ProcessesToUpdate::All), root)
}

/// `root` and every process below it in `sys`, parents before children.
fn tree_in(sys: &sysinfo::System, root: u32) -> Vec<u32> {
    let all = parents_in(sys);
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(all.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    tree
}

/// Whether `pid` is a live process: not gone, and not a zombie that has
/// ended and waits to be collected by whoever adopted it.
pub fn is_running(pid: u32) -> bool {
    let pid = sysinfo::Pid::from_u32(pid);
    table(sysinfo::ProcessesToUpdate::Some(&[pid]))
        .process(pid)
        .is_some_and(|p| p.status() != sysinfo::ProcessStatus::Zombie)
}

/// End `child` and every process below it (tauri-driver starts
/// WebKitWebDriver, which would outlive it), deepest first, by process id.
pub fn end_process_tree(child: &mut Child) {
    // Already ended and reaped: its id may belong to another process by now.
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    // One reading of the table: the tree and the processes to signal.
    let sys = table(sysinfo::ProcessesToUpdate::All);
    let below: Vec<u32> = tree_in(&sys, child.id()).into_iter().skip(1).collect();
    for pid in below.iter().rev() {
        if let Some(p) = sys.process(sysinfo::Pid::from_u32(*pid)) {
            p.kill_with(sysinfo::Signal::Term);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}
