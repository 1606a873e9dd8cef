#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/metric_sink.h"
#include "common/paths.h"

namespace CLI {
class App;
}

namespace common {

// Thrown by Collector::Update when its source does not exist on this host
// (node_exporter's ErrNoData): logged at debug, success 0, not an error.
class NoDataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What collectors are built from: the paths of the host they read.
struct CollectorContext {
  const Paths& paths;
};

// A source of metrics, updated on every scrape. Update() may be called from
// several scrapes at once, so implementations are thread-safe.
class Collector {
 public:
  virtual ~Collector() = default;
  // Called at the start of a scrape, before any collector's Update, for work
  // that can run in the background while the others collect (statfs on
  // worker threads). Update(sink) with the same sink follows on the same
  // thread. Should not throw; if it does, the error is logged and Update
  // still runs.
  virtual void Begin(MetricSink& sink) { (void)sink; }
  // Appends this scrape's samples to `sink`. Throws on failure (the collector
  // then reports success 0 for this scrape and its samples are dropped).
  virtual void Update(MetricSink& sink) = 0;
};

using CollectorFactory =
    std::function<std::unique_ptr<Collector>(const CollectorContext&)>;

// A collector's name, default state, own flags and factory. The factory runs
// once after flags are parsed; it throws std::invalid_argument on a bad
// option (reported with exit code 2).
struct CollectorSpec {
  std::string name;  // --collector.<name> / --no-collector.<name>
  bool enabled_by_default = true;
  std::function<void(CLI::App&)> add_flags;  // --collector.<name>.<option>
  CollectorFactory factory;
};

}  // namespace common
