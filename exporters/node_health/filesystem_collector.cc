#include "filesystem_collector.h"

#include <sys/statfs.h>
#include <sys/statvfs.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "common/file_util.h"
#include "common/log.h"

namespace node_health {
namespace {

// Undoes the octal escapes mountinfo uses for space, tab, newline and '\'.
std::string UnescapeMountField(std::string_view s) {
  auto octal = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && octal(s[i + 1]) &&
        octal(s[i + 2]) && octal(s[i + 3])) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
                               (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool HasOption(std::string_view options, std::string_view want) {
  while (!options.empty()) {
    size_t comma = options.find(',');
    if (options.substr(0, comma) == want) return true;
    if (comma == std::string_view::npos) break;
    options.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::vector<MountEntry> ParseMountinfo(std::string_view text) {
  std::vector<MountEntry> mounts;
  std::vector<std::string_view> f;
  size_t line_no = 0;
  common::ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    if (common::Trim(line).empty()) return;
    common::SplitFieldsInto(line, f);
    auto bad = [&](const std::string& why) {
      return common::ParseError("mountinfo: line " + std::to_string(line_no) +
                                ": " + why);
    };
    // id parent major:minor root mountpoint options [optional...] - fstype
    // source superopts
    size_t sep = 6;
    while (sep < f.size() && f[sep] != "-") ++sep;
    if (f.size() < 7 || sep + 2 >= f.size()) throw bad("too few fields");
    MountEntry m;
    size_t colon = f[2].find(':');
    if (colon == std::string_view::npos)
      throw bad("no major:minor in " + common::Quote(f[2]));
    m.major = std::string(f[2].substr(0, colon));
    m.minor = std::string(f[2].substr(colon + 1));
    uint64_t num;
    if (!common::TryParseUint64(m.major, num) ||
        !common::TryParseUint64(m.minor, num)) {
      throw bad("bad major:minor " + common::Quote(f[2]));
    }
    m.mountpoint = UnescapeMountField(f[4]);
    m.readonly = HasOption(f[5], "ro");
    m.fstype = UnescapeMountField(f[sep + 1]);
    m.device = UnescapeMountField(f[sep + 2]);
    mounts.push_back(std::move(m));
  });
  return mounts;
}

std::chrono::milliseconds ParseDuration(std::string_view text) {
  std::string_view s = common::Trim(text);
  if (s.empty()) throw std::invalid_argument("empty duration");
  double total_ms = 0;
  std::string_view rest = s;
  while (!rest.empty()) {
    size_t i = 0;
    while (i < rest.size() &&
           ((rest[i] >= '0' && rest[i] <= '9') || rest[i] == '.'))
      ++i;
    if (i == 0)
      throw std::invalid_argument("invalid duration \"" + std::string(s) +
                                  "\"");
    double v;
    if (!common::TryParseDouble(rest.substr(0, i), v)) {
      throw std::invalid_argument("invalid duration \"" + std::string(s) +
                                  "\"");
    }
    rest.remove_prefix(i);
    size_t j = 0;
    while (j < rest.size() && rest[j] >= 'a' && rest[j] <= 'z') ++j;
    std::string_view unit = rest.substr(0, j);
    rest.remove_prefix(j);
    if (unit == "ms") {
      total_ms += v;
    } else if (unit == "s") {
      total_ms += v * 1000;
    } else if (unit == "m") {
      total_ms += v * 60000;
    } else if (unit == "h") {
      total_ms += v * 3600000;
    } else {
      throw std::invalid_argument("invalid duration \"" + std::string(s) +
                                  "\": unit must be ms, s, m or h");
    }
  }
  // More than a year is surely a typo, and would overflow below.
  if (total_ms > 365.0 * 24 * 3600 * 1000) {
    throw std::invalid_argument("duration \"" + std::string(s) +
                                "\" is too long");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

// Shared with the worker threads, which may outlive the pool while blocked in
// statfs: hence the shared_ptr.
struct StatfsPool::State {
  struct Batch {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<Result> results;
    std::vector<bool> started;
    std::vector<bool> finished;
    size_t remaining = 0;
    bool abandoned = false;
  };
  struct Job {
    std::string path;
    std::shared_ptr<Batch> batch;
    size_t index;
  };

  std::chrono::milliseconds timeout;
  size_t target_workers;
  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<Job> jobs;
  std::multiset<std::string> stuck_paths;  // one entry per stuck thread
  size_t idle_or_running = 0;              // workers not stuck
  size_t stuck_threads = 0;
  bool stopping = false;

  void SpawnWorker(std::shared_ptr<State> self) {
    ++idle_or_running;
    std::thread([self] { self->Work(); }).detach();
  }

  void Work() {
    std::unique_lock lock(mu);
    for (;;) {
      cv.wait(lock, [this] { return stopping || !jobs.empty(); });
      if (stopping) {
        --idle_or_running;
        return;
      }
      Job job = std::move(jobs.front());
      jobs.pop_front();
      {
        std::lock_guard bl(job.batch->mu);
        if (job.batch->abandoned) continue;
        job.batch->started[job.index] = true;
      }
      lock.unlock();

      struct statfs st;
      int rc = ::statfs(job.path.c_str(), &st);
      int err = rc == 0 ? 0 : errno;

      lock.lock();
      {
        std::lock_guard bl(job.batch->mu);
        job.batch->finished[job.index] = true;
        if (!job.batch->abandoned) {
          Result& r = job.batch->results[job.index];
          if (rc == 0) {
            double bsize = static_cast<double>(st.f_bsize);
            r.state = Result::State::kOk;
            r.size = static_cast<double>(st.f_blocks) * bsize;
            r.free = static_cast<double>(st.f_bfree) * bsize;
            r.avail = static_cast<double>(st.f_bavail) * bsize;
            r.files = static_cast<double>(st.f_files);
            r.files_free = static_cast<double>(st.f_ffree);
            r.readonly = (st.f_flags & ST_RDONLY) != 0;
          } else {
            r.state = Result::State::kError;
            r.error = err;
          }
          if (--job.batch->remaining == 0) job.batch->cv.notify_all();
        }
      }
      if (stuck_jobs.erase({job.batch.get(), job.index}) > 0) {
        // This thread was given up on and replaced; it rejoins the pool only
        // if the pool is short of workers.
        stuck_paths.erase(stuck_paths.find(job.path));
        --stuck_threads;
        common::log::Info("mount point answers again", {{"path", job.path}});
        if (idle_or_running >= target_workers || stopping) return;
        ++idle_or_running;
      }
    }
  }

  // Jobs (batch, index) whose thread the scrape gave up on while it ran.
  std::set<std::pair<const Batch*, size_t>> stuck_jobs;
};

// How long a batch may take before every worker is woken to help.
constexpr std::chrono::milliseconds kSlowBatch{5};

StatfsPool::StatfsPool(size_t workers, std::chrono::milliseconds timeout)
    : state_(std::make_shared<State>()) {
  state_->timeout = timeout;
  state_->target_workers = workers == 0 ? 1 : workers;
  std::lock_guard lock(state_->mu);
  for (size_t i = 0; i < state_->target_workers; ++i)
    state_->SpawnWorker(state_);
}

StatfsPool::~StatfsPool() {
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
  }
  state_->cv.notify_all();
}

std::chrono::milliseconds StatfsPool::timeout() const {
  return state_->timeout;
}

size_t StatfsPool::StuckThreads() const {
  std::lock_guard lock(state_->mu);
  return state_->stuck_threads;
}

StatfsPool::Pending StatfsPool::Submit(std::vector<std::string> paths) {
  return Submit(std::move(paths),
                std::chrono::steady_clock::now() + state_->timeout);
}

StatfsPool::Pending StatfsPool::Submit(
    std::vector<std::string> paths,
    std::chrono::steady_clock::time_point deadline) {
  Pending pending;
  auto batch = std::make_shared<State::Batch>();
  pending.batch = batch;
  batch->results.resize(paths.size());
  batch->started.assign(paths.size(), false);
  batch->finished.assign(paths.size(), false);
  pending.deadline = deadline;
  size_t queued = 0;
  {
    std::lock_guard lock(state_->mu);
    if (state_->idle_or_running == 0) {
      // Every worker is stuck and the cap forbids more: report the mounts
      // as skipped now rather than queue work nobody will take.
      common::log::Warn("all statfs workers are stuck; skipping filesystems");
      for (size_t i = 0; i < paths.size(); ++i) {
        batch->results[i].state = state_->stuck_paths.count(paths[i])
                                      ? Result::State::kStuck
                                      : Result::State::kSkipped;
      }
      pending.paths = std::move(paths);
      return pending;
    }
    for (size_t i = 0; i < paths.size(); ++i) {
      if (state_->stuck_paths.count(paths[i])) {
        batch->results[i].state = Result::State::kStuck;
        continue;
      }
      state_->jobs.push_back({paths[i], batch, i});
      ++queued;
    }
    std::lock_guard bl(batch->mu);
    batch->remaining = queued;
  }
  pending.paths = std::move(paths);
  // One worker usually clears the whole batch in microseconds; waking every
  // worker per scrape costs more than the statfs calls. If the batch is slow
  // (a mount that takes long to answer), the others join in (see Wait).
  if (queued > 0) state_->cv.notify_one();
  return pending;
}

std::vector<StatfsPool::Result> StatfsPool::Wait(const Pending& pending) {
  auto batch = std::static_pointer_cast<State::Batch>(pending.batch);
  const std::vector<std::string>& paths = pending.paths;
  const auto deadline = pending.deadline;
  std::unique_lock bl(batch->mu);
  auto done = [&] { return batch->remaining == 0; };
  if (done()) return batch->results;
  if (std::chrono::steady_clock::now() < deadline &&
      !batch->cv.wait_for(bl, kSlowBatch, done)) {
    state_->cv.notify_all();
    batch->cv.wait_until(bl, deadline, done);
  }
  if (batch->remaining == 0) return batch->results;

  bl.unlock();

  // Out of time: calls still running are stuck, queued ones are skipped.
  // Both locks are held so that no worker finishes in between.
  std::lock_guard lock(state_->mu);
  std::lock_guard relock(batch->mu);
  batch->abandoned = true;
  // Queued jobs of this batch would only be skipped later; drop them now so
  // that the queue cannot grow while workers are stuck.
  std::erase_if(state_->jobs,
                [&](const State::Job& j) { return j.batch == batch; });
  std::vector<Result> results = batch->results;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (results[i].state != Result::State::kSkipped || !batch->started[i] ||
        batch->finished[i]) {
      continue;
    }
    results[i].state = Result::State::kTimeout;
    state_->stuck_paths.insert(paths[i]);
    state_->stuck_jobs.insert({batch.get(), i});
    ++state_->stuck_threads;
    --state_->idle_or_running;
    common::log::Warn("mount point timed out; skipping it until it answers",
                      {{"path", paths[i]}});
    if (state_->stuck_threads <= kMaxStuckThreads) {
      state_->SpawnWorker(state_);
    } else {
      common::log::Warn(
          "too many threads stuck in statfs; not replacing the worker");
    }
  }
  return results;
}

std::vector<StatfsPool::Result> StatfsPool::Run(
    const std::vector<std::string>& paths) {
  return Wait(Submit(paths));
}

FilesystemCollector::FilesystemCollector(const common::Paths& paths,
                                         const FilesystemOptions& o)
    : paths_(paths),
      mount_points_(o.mount_points_include, o.mount_points_exclude,
                    "--collector.filesystem.mount-points"),
      fs_types_(o.fs_types_include, o.fs_types_exclude,
                "--collector.filesystem.fs-types"),
      pool_(static_cast<size_t>(o.stat_workers),
            ParseDuration(o.mount_timeout)),
      size_("node_filesystem_size_bytes", "Filesystem size in bytes.",
            common::MetricType::kGauge,
            {"device", "mountpoint", "fstype", "device_error"}),
      free_("node_filesystem_free_bytes", "Filesystem free space in bytes.",
            common::MetricType::kGauge,
            {"device", "mountpoint", "fstype", "device_error"}),
      avail_("node_filesystem_avail_bytes",
             "Filesystem space available to non-root users in bytes.",
             common::MetricType::kGauge,
             {"device", "mountpoint", "fstype", "device_error"}),
      files_("node_filesystem_files", "Filesystem total file nodes.",
             common::MetricType::kGauge,
             {"device", "mountpoint", "fstype", "device_error"}),
      files_free_("node_filesystem_files_free",
                  "Filesystem total free file nodes.",
                  common::MetricType::kGauge,
                  {"device", "mountpoint", "fstype", "device_error"}),
      readonly_("node_filesystem_readonly", "Filesystem read-only status.",
                common::MetricType::kGauge,
                {"device", "mountpoint", "fstype", "device_error"}),
      device_error_("node_filesystem_device_error",
                    "Whether an error occurred while getting statistics for "
                    "the given device.",
                    common::MetricType::kGauge,
                    {"device", "mountpoint", "fstype", "device_error"}),
      mount_info_("node_filesystem_mount_info", "Filesystem mount information.",
                  common::MetricType::kGauge,
                  {"device", "major", "minor", "mountpoint"}),
      mountinfo_(paths.Proc("1/mountinfo")),
      self_mountinfo_(paths.Proc("self/mountinfo")) {}

void FilesystemCollector::Begin(common::MetricSink& sink) {
  std::lock_guard lock(mu_);
  if (last_paths_.empty()) return;
  // Each Update takes its batch; a scrape that died between the two leaves
  // one behind, so keep no more than the scrapes that can run at once.
  for (auto it = begun_.begin(); it != begun_.end();) {
    if (it->first == &sink || begun_.size() >= kMaxBegun) {
      Orphan(std::move(it->second));
      it = begun_.erase(it);
    } else {
      ++it;
    }
  }
  begun_.emplace_back(&sink, pool_.Submit(last_paths_));
}

void FilesystemCollector::Orphan(StatfsPool::Pending pending) {
  if (orphans_.size() >= kMaxBegun) orphans_.erase(orphans_.begin());
  orphans_.push_back(std::move(pending));
}

void FilesystemCollector::SettleOrphans() {
  std::vector<StatfsPool::Pending> due;
  {
    std::lock_guard lock(mu_);
    if (orphans_.empty()) return;
    auto now = std::chrono::steady_clock::now();
    auto past = std::stable_partition(
        orphans_.begin(), orphans_.end(),
        [&](const StatfsPool::Pending& p) { return p.deadline > now; });
    std::move(past, orphans_.end(), std::back_inserter(due));
    orphans_.erase(past, orphans_.end());
  }
  // Past their deadline, so Wait returns at once.
  for (const auto& p : due) pool_.Wait(p);
}

std::vector<MountEntry> FilesystemCollector::Mounts() {
  std::lock_guard lock(mounts_mu_);
  std::string text;
  common::MountTableFile* file = no_pid1_ ? &self_mountinfo_ : &mountinfo_;
  bool changed;
  try {
    changed = file->ReadIfChanged(text);
  } catch (const common::FileError& e) {
    if (no_pid1_ || (e.error_code() != ENOENT && e.error_code() != ENOTDIR))
      throw;
    no_pid1_ = true;
    file = &self_mountinfo_;
    changed = file->ReadIfChanged(text);
  }
  if (!changed) return mounts_;
  try {
    mounts_ = Kept(ParseMountinfo(text));
  } catch (...) {
    file->Invalidate();  // read it again next time
    throw;
  }
  return mounts_;
}

std::vector<MountEntry> FilesystemCollector::Kept(
    std::vector<MountEntry> mounts) const {
  // Inside a container with the host at --path.rootfs, mount points carry the
  // rootfs prefix; report them as the host sees them.
  std::string_view root = paths_.rootfs;
  while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
  std::vector<MountEntry> kept;
  std::set<std::pair<std::string, std::string>> seen;
  for (auto& m : mounts) {
    if (root != "/" && m.mountpoint.starts_with(root) &&
        (m.mountpoint.size() == root.size() ||
         m.mountpoint[root.size()] == '/')) {
      m.mountpoint = m.mountpoint.size() == root.size()
                         ? "/"
                         : m.mountpoint.substr(root.size());
    }
    if (!mount_points_.Allows(m.mountpoint) || !fs_types_.Allows(m.fstype))
      continue;
    // The same device on the same mount point twice (mounted again on top)
    // would repeat series; keep the first.
    if (!seen.insert({m.mountpoint, m.device}).second) continue;
    kept.push_back(std::move(m));
  }
  return kept;
}

void FilesystemCollector::Update(common::MetricSink& sink) {
  SettleOrphans();
  // If this throws, a batch Begin started stays in begun_ until the next
  // Begin with this sink makes it an orphan.
  std::vector<MountEntry> kept = Mounts();

  // The mount list rarely changes: Begin started statfs of last scrape's
  // mounts, and this thread does not sleep on the workers unless they are
  // slower than the collectors in between.
  std::optional<StatfsPool::Pending> early;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(begun_.begin(), begun_.end(),
                           [&](const auto& b) { return b.first == &sink; });
    if (it != begun_.end()) {
      auto now = std::chrono::steady_clock::now();
      if (it->second.deadline > now) {
        // The timeout counts from here, where the scrape starts waiting,
        // not from Begin: slow collectors before this one must not cut
        // the workers' time short.
        early = std::move(it->second);
        early->deadline = now + pool_.timeout();
      } else {
        // Begun a whole timeout ago: another scrape's leftover, or this
        // one was that slow. Stat afresh.
        Orphan(std::move(it->second));
      }
      begun_.erase(it);
    }
  }

  std::vector<std::string> stat_paths;
  stat_paths.reserve(kept.size());
  for (const auto& m : kept) stat_paths.push_back(paths_.Rootfs(m.mountpoint));
  std::vector<StatfsPool::Result> results;
  if (!early) {
    results = pool_.Run(stat_paths);
  } else {
    // Wait even when the guess was wrong, so that a mount that hung in it is
    // marked stuck and not stat'ed again below.
    results = pool_.Wait(*early);
    if (early->paths != stat_paths) {
      // The mounts changed: stat the new list within what is left of the
      // same deadline (at least 100 ms), so one scrape still waits about
      // one mount-timeout at most.
      auto floor =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
      results = pool_.Wait(
          pool_.Submit(stat_paths, std::max(early->deadline, floor)));
    }
  }
  {
    std::lock_guard lock(mu_);
    last_paths_ = stat_paths;
  }

  for (size_t i = 0; i < kept.size(); ++i) {
    const MountEntry& m = kept[i];
    const auto& r = results[i];
    using S = StatfsPool::Result::State;
    sink.Add(mount_info_, 1, {m.device, m.major, m.minor, m.mountpoint});
    if (r.state == S::kSkipped) continue;
    std::string error;
    if (r.state == S::kTimeout || r.state == S::kStuck) {
      error = "mountpoint timeout";
    } else if (r.state == S::kError) {
      error = std::strerror(r.error);
      common::log::Debug("statfs failed",
                         {{"mountpoint", m.mountpoint}, {"err", error}});
    }
    std::initializer_list<std::string_view> labels = {m.device, m.mountpoint,
                                                      m.fstype, error};
    bool ro = m.readonly || r.readonly;
    if (!error.empty()) {
      sink.Add(device_error_, 1, labels);
      sink.Add(readonly_, ro ? 1 : 0, labels);
      continue;
    }
    sink.Add(device_error_, 0, labels);
    sink.Add(readonly_, ro ? 1 : 0, labels);
    sink.Add(size_, r.size, labels);
    sink.Add(free_, r.free, labels);
    sink.Add(avail_, r.avail, labels);
    sink.Add(files_, r.files, labels);
    sink.Add(files_free_, r.files_free, labels);
  }
}

common::CollectorSpec FilesystemSpec() {
  auto opts = std::make_shared<FilesystemOptions>();
  return {
      .name = "filesystem",
      .enabled_by_default = true,
      .add_flags =
          [opts](CLI::App& app) {
            const char* g = "Collector options";
            app.add_option(
                   "--collector.filesystem.mount-points-include",
                   opts->mount_points_include,
                   "Regexp of mount points to include (mutually exclusive "
                   "to mount-points-exclude).")
                ->group(g);
            app.add_option(
                   "--collector.filesystem.mount-points-exclude",
                   opts->mount_points_exclude,
                   "Regexp of mount points to exclude (mutually exclusive to "
                   "mount-points-include).")
                ->capture_default_str()
                ->group(g);
            app.add_option("--collector.filesystem.fs-types-include",
                           opts->fs_types_include,
                           "Regexp of filesystem types to include (mutually "
                           "exclusive to "
                           "fs-types-exclude).")
                ->group(g);
            app.add_option("--collector.filesystem.fs-types-exclude",
                           opts->fs_types_exclude,
                           "Regexp of filesystem types to exclude (mutually "
                           "exclusive to "
                           "fs-types-include).")
                ->capture_default_str()
                ->group(g);
            app.add_option("--collector.filesystem.mount-timeout",
                           opts->mount_timeout,
                           "How long to wait for a mount to respond before "
                           "marking it as "
                           "stale (e.g. 5s, 500ms).")
                ->capture_default_str()
                ->group(g);
            app.add_option(
                   "--collector.filesystem.stat-workers", opts->stat_workers,
                   "Number of threads that run statfs calls in parallel.")
                ->capture_default_str()
                ->check(CLI::Range(1, 64))
                ->group(g);
          },
      .factory =
          [opts](const common::CollectorContext& ctx) {
            // An include pattern replaces the default exclude, as in
            // node_exporter.
            FilesystemOptions o = *opts;
            try {
              ParseDuration(o.mount_timeout);
            } catch (const std::invalid_argument& e) {
              throw std::invalid_argument(
                  std::string("--collector.filesystem.mount-timeout: ") +
                  e.what());
            }
            if (!o.mount_points_include.empty() &&
                o.mount_points_exclude ==
                    FilesystemOptions{}.mount_points_exclude) {
              o.mount_points_exclude.clear();
            }
            if (!o.fs_types_include.empty() &&
                o.fs_types_exclude == FilesystemOptions{}.fs_types_exclude) {
              o.fs_types_exclude.clear();
            }
            return std::make_unique<FilesystemCollector>(ctx.paths, o);
          },
  };
}

}  // namespace node_health
