//! What machine a benchmark ran on, read from the OS (Linux `/proc`; empty elsewhere).

use serde::Serialize;

/// The machine a benchmark ran on.
#[derive(Debug, Serialize)]
pub struct Machine {
    /// Logical CPUs this process may use.
    pub nproc: usize,
    /// The CPU's model name from /proc/cpuinfo.
    pub cpu_model: String,
    /// Physical memory, in MiB, from /proc/meminfo.
    pub mem_total_mib: u64,
    /// The OS and architecture this binary was built for.
    pub os: String,
    /// The kernel release, from /proc/sys/kernel/osrelease.
    pub kernel: String,
}

/// Describes this machine.
pub fn describe() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    Machine {
        nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu_model: field(&cpuinfo, "model name").unwrap_or_else(|| "unknown".into()),
        mem_total_mib: field(&meminfo, "MemTotal")
            .and_then(|v| v.trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024),
        os: format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

/// The value of the first `name : value` line.
fn field(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn reads_proc_style_fields() {
        let text = "processor\t: 0\nmodel name\t: AMD EPYC\nMemTotal:       24000000 kB\n";
        assert_eq!(field(text, "model name").as_deref(), Some("AMD EPYC"));
        assert_eq!(field(text, "MemTotal").as_deref(), Some("24000000 kB"));
        assert_eq!(field(text, "flags"), None);
    }
}
