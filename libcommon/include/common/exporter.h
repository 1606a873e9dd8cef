#pragma once

#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "common/collector_set.h"
#include "common/http.h"
#include "common/paths.h"

namespace CLI {
class App;
}

namespace common {

// What distinguishes one exporter binary from another.
struct ExporterInfo {
  std::string name;              // binary name, e.g. "node_health"
  std::string metric_namespace;  // self-metric prefix, e.g. "node_health"
  std::string description;       // one line for --help and the landing page
  std::string default_listen_address;  // e.g. ":9520"
};

// The shared main of every exporter: flags (--web.*, --log.*, --version and
// the collectors'), the HTTP server (telemetry path, "/", /-/healthy,
// /-/ready, handlers added by the exporter), <ns>_build_info, process_*
// metrics, background workers and SIGTERM/SIGINT shutdown.
class Exporter {
 public:
  explicit Exporter(ExporterInfo info);
  ~Exporter();
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  // The command line, to add exporter-specific flags before Run.
  CLI::App& App();

  // The collectors served at the telemetry path.
  CollectorSet& Collectors();

  // Adds --path.procfs, --path.sysfs, --path.rootfs and --path.udev.data.
  void EnablePathFlags();

  // The paths parsed from the flags (defaults until Run parses them).
  const Paths& paths() const;

  // Serves `handler` at `path` (GET). `limited` handlers count towards
  // --web.max-requests like the telemetry path. `title` links it from the
  // landing page when not empty.
  void AddHandler(std::string path, HttpHandler handler, bool limited = true,
                  std::string title = "");

  // Runs `hook` after flags are parsed and before anything listens: loading
  // config files, checking flag combinations. A hook that throws
  // std::invalid_argument or std::runtime_error makes Run print its message
  // on one line and return 2.
  void AddStartHook(std::function<void()> hook);

  // Runs `worker` on its own thread from after start-up until shutdown, when
  // `stop` is requested and the thread joined (docker event streams, log
  // followers, scheduled probes).
  void AddWorker(std::function<void(std::stop_token stop)> worker);

  // Parses flags, starts collectors, hooks, workers and the server, and
  // serves until SIGTERM or SIGINT. Returns the process exit code: 0 after a
  // clean shutdown, 2 for bad flags or configuration, 1 if a listen address
  // cannot be bound.
  int Run(int argc, char** argv);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace common
