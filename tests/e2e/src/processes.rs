//! The process table, for ending what a test started and for waiting until
//! it is gone: every process's parent, a process's tree, whether one still
//! runs, and ending a tree deepest first, by process id (sysinfo).

use std::process::Child;

/// Every live process's parent, from the process table.
pub fn parents() -> Vec<(u32, u32)> {
    parents_in(&table(sysinfo::ProcessesToUpdate::All))
}

/// The process table as it is now (ids, parents, states), for `which`:
/// processes only. (sysinfo lists a process's threads as processes of their
/// own unless told not to; counted, they multiplied the benchmark's memory
/// by the number of threads.)
fn table(which: sysinfo::ProcessesToUpdate<'_>) -> sysinfo::System {
    let mut sys = sysinfo::System::new();
    let what = sysinfo::ProcessRefreshKind::nothing().without_tasks();
    sys.refresh_processes_specifics(which, true, what);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A thread's id is its process's (`Tgid`) only for the main thread.
    fn is_thread(pid: u32) -> bool {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("Tgid:"))
            .is_some_and(|tgid| tgid.trim() != pid.to_string())
    }

    #[test]
    fn a_tree_holds_the_processes_below_and_none_of_their_threads() {
        let worker = std::thread::spawn(|| std::thread::sleep(std::time::Duration::from_secs(1)));
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let tree = descendants(std::process::id());
        assert_eq!(tree.first(), Some(&std::process::id()));
        assert!(tree.contains(&child.id()), "{tree:?}");
        let threads: Vec<u32> = tree.iter().copied().filter(|p| is_thread(*p)).collect();
        assert!(threads.is_empty(), "threads in the tree: {threads:?}");
        child.kill().unwrap();
        child.wait().unwrap();
        worker.join().unwrap();
    }
}
