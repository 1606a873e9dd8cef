#include "common/exporter.h"

#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "common/file_util.h"
#include "common/http_server.h"
#include "common/log.h"
#include "common/pool.h"
#include "common/process_collector.h"
#include "common/version.h"

namespace common {
namespace {

// Connections beyond --web.max-requests for the landing page, health checks
// and idle keep-alive connections, so that scrapes over the limit reach the
// handler and get their 503 at once.
constexpr size_t kExtraConnections = 16;
constexpr size_t kUnlimitedConnections = 1024;

struct ListenAddress {
  std::string host;  // empty: all addresses
  int port = 0;
  std::string text;
};

ListenAddress ParseListenAddress(const std::string& text) {
  auto bad = [&](const char* why) {
    return std::invalid_argument("--web.listen-address: invalid address \"" +
                                 text + "\": " + why);
  };
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw bad("want host:port");
  ListenAddress a;
  a.text = text;
  a.host = text.substr(0, colon);
  if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']') {
    a.host = a.host.substr(1, a.host.size() - 2);
  }
  uint64_t port;
  if (!TryParseUint64(std::string_view(text).substr(colon + 1), port) ||
      port > 65535) {
    throw bad("port must be a number from 0 to 65535");
  }
  a.port = static_cast<int>(port);
  return a;
}

}  // namespace

struct Exporter::Impl {
  struct Route {
    std::string path;
    HttpHandler handler;
    bool limited;
    std::string title;
  };

  explicit Impl(ExporterInfo i)
      : info(std::move(i)),
        app(info.description, info.name),
        collectors(info.metric_namespace),
        build_info_desc(BuildInfoDesc(info.metric_namespace)),
        listen_addresses{info.default_listen_address} {}

  void AddCoreFlags();
  int Serve();
  void HandleMetrics(const HttpRequest& req, HttpResponse& res);
  std::string LandingPage() const;
  HttpHandler Wrap(const Route& route);

  ExporterInfo info;
  CLI::App app;
  CollectorSet collectors;
  Paths paths;
  bool path_flags = false;
  Desc build_info_desc;
  std::unique_ptr<ProcessCollector> process;

  std::vector<std::string> listen_addresses;
  std::vector<ListenAddress> addrs;  // parsed from listen_addresses in Run
  std::string telemetry_path = "/metrics";
  int max_requests = 40;
  bool disable_exporter_metrics = false;
  std::string log_level = "info";
  std::string log_format = "logfmt";

  std::vector<Route> routes;
  std::vector<std::function<void()>> start_hooks;
  std::vector<std::function<void(std::stop_token)>> workers;
  std::atomic<int> in_flight{0};
  Pool<MetricSink> sinks{kKeptObjects};
  Pool<std::string> buffers{kKeptObjects};  // gzip output
};

void Exporter::Impl::AddCoreFlags() {
  app.set_version_flag("--version", std::string(info.name) + " version " +
                                        std::string(kVersion) + " (revision " +
                                        std::string(kRevision) + ", " +
                                        std::string(kCompiler) + ")");
  app.add_option(
         "--web.listen-address", listen_addresses,
         "Addresses on which to expose metrics and web interface. Repeatable.")
      ->capture_default_str()
      ->group("Web");
  app.add_option("--web.telemetry-path", telemetry_path,
                 "Path under which to expose metrics.")
      ->capture_default_str()
      ->group("Web");
  app.add_option("--web.max-requests", max_requests,
                 "Maximum number of parallel scrape requests; over it a "
                 "request gets 503 "
                 "at once. 0 disables the limit.")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000))
      ->group("Web");
  app.add_flag("--web.disable-exporter-metrics", disable_exporter_metrics,
               "Exclude metrics about the exporter itself (process_*, " +
                   info.metric_namespace + "_build_info).")
      ->group("Web");
  app.add_option(
         "--log.level", log_level,
         "Only log messages with the given severity or above. One of: [debug, "
         "info, warn, error]")
      ->capture_default_str()
      ->group("Log");
  app.add_option("--log.format", log_format,
                 "Output format of log messages. One of: [logfmt, json]")
      ->capture_default_str()
      ->group("Log");
}

void Exporter::Impl::HandleMetrics(const HttpRequest& req, HttpResponse& res) {
  CollectorFilter filter{req.Params("collect[]"), req.Params("exclude[]")};
  try {
    collectors.Validate(filter);
  } catch (const std::invalid_argument& e) {
    res.status = 400;
    res.body = std::string("Couldn't create filtered metrics handler: ") +
               e.what() + "\n";
    return;
  }
  // Sinks are emptied but not freed between scrapes.
  auto lease = sinks.Take();
  MetricSink& sink = *lease;
  sink.Clear();
  collectors.Collect(sink, filter);
  if (!disable_exporter_metrics) {
    AddBuildInfo(sink, build_info_desc);
    size_t mark = sink.size();
    try {
      process->Update(sink);
    } catch (const std::exception& e) {
      sink.Rollback(mark);
      log::Warn("process metrics failed", {{"err", e.what()}});
    }
  }
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  res.body.reserve(64 * 1024);
  sink.Finish(res.body);
  res.compressible = true;
}

std::string Exporter::Impl::LandingPage() const {
  std::string links =
      "<li><a href=\"" + telemetry_path + "\">Metrics</a></li>\n";
  for (const auto& r : routes) {
    if (!r.title.empty())
      links += "<li><a href=\"" + r.path + "\">" + r.title + "</a></li>\n";
  }
  links += "<li><a href=\"/-/healthy\">Health</a></li>\n";
  return "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>" +
         info.name + "</title></head>\n<body>\n<h1>" + info.name +
         "</h1>\n<p>" + info.description + "</p>\n<p>Version " +
         std::string(kVersion) + " (revision " + std::string(kRevision) +
         ")</p>\n<ul>\n" + links + "</ul>\n</body>\n</html>\n";
}

HttpHandler Exporter::Impl::Wrap(const Route& route) {
  return [this, &route](const HttpRequest& req, HttpResponse& res) {
    bool counted = route.limited && max_requests > 0;
    if (counted && in_flight.fetch_add(1) >= max_requests) {
      in_flight.fetch_sub(1);
      res.status = 503;
      res.body = "Limit of concurrent requests reached (" +
                 std::to_string(max_requests) + "), try again later.\n";
      return;
    }
    try {
      route.handler(req, res);
    } catch (...) {
      if (counted) in_flight.fetch_sub(1);
      throw;
    }
    if (counted) in_flight.fetch_sub(1);
    if (res.compressible) {
      res.headers.emplace_back("Vary", "Accept-Encoding");
      if (!res.body.empty() && req.AcceptsGzip()) {
        // The two buffers trade places, so both keep their capacity for
        // later requests (see HttpServer::Dispatch).
        auto gz = buffers.Take();
        GzipCompress(res.body, *gz);
        res.body.swap(*gz);
        if (gz->capacity() > kKeptBodyBytes) *gz = std::string();
        res.headers.emplace_back("Content-Encoding", "gzip");
      }
    }
  };
}

int Exporter::Impl::Serve() {
  process = std::make_unique<ProcessCollector>();
  routes.insert(routes.begin(),
                Route{telemetry_path,
                      [this](const HttpRequest& q, HttpResponse& r) {
                        HandleMetrics(q, r);
                      },
                      true, ""});
  routes.push_back(
      Route{"/-/healthy",
            [](const HttpRequest&, HttpResponse& r) { r.body = "Healthy\n"; },
            false, ""});
  routes.push_back(
      Route{"/-/ready",
            [](const HttpRequest&, HttpResponse& r) { r.body = "Ready\n"; },
            false, ""});
  std::string landing = LandingPage();
  if (telemetry_path != "/") {
    routes.push_back(Route{"/",
                           [landing](const HttpRequest&, HttpResponse& r) {
                             r.content_type = "text/html; charset=utf-8";
                             r.body = landing;
                           },
                           false, ""});
  }

  HttpServerOptions options;
  options.max_connections =
      max_requests > 0 ? static_cast<size_t>(max_requests) + kExtraConnections
                       : kUnlimitedConnections;
  HttpServer server(options);
  for (const auto& r : routes) server.Handle(r.path, Wrap(r));
  for (const auto& a : addrs) {
    try {
      int port = server.Listen(a.host, a.port);
      log::Info("listening", {{"address", (a.host.find(':') != std::string::npos
                                               ? "[" + a.host + "]"
                                               : a.host) +
                                              ":" + std::to_string(port)}});
    } catch (const std::system_error& e) {
      std::cerr << info.name << ": error: " << e.what() << "\n";
      return 1;
    }
  }

  std::vector<std::jthread> worker_threads;
  for (auto& w : workers) worker_threads.emplace_back(w);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  server.Start();
  int sig = 0;
  sigwait(&signals, &sig);
  log::Info("shutting down",
            {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  if (!server.Stop()) {
    // A handler is still stuck (a textfile FIFO, a hung read) and its thread
    // uses the server and the routes: leave at once rather than free them
    // under it.
    log::Warn("requests still running at shutdown; exiting without waiting");
    std::_Exit(0);
  }
  for (auto& t : worker_threads) t.request_stop();
  worker_threads.clear();
  log::Info("stopped");
  return 0;
}

Exporter::Exporter(ExporterInfo info)
    : impl_(std::make_unique<Impl>(std::move(info))) {
  impl_->AddCoreFlags();
}

Exporter::~Exporter() = default;

CLI::App& Exporter::App() { return impl_->app; }
CollectorSet& Exporter::Collectors() { return impl_->collectors; }
const Paths& Exporter::paths() const { return impl_->paths; }

void Exporter::EnablePathFlags() {
  if (impl_->path_flags) return;
  impl_->path_flags = true;
  auto& app = impl_->app;
  auto& p = impl_->paths;
  app.add_option("--path.procfs", p.procfs, "procfs mountpoint.")
      ->capture_default_str()
      ->group("Paths");
  app.add_option("--path.sysfs", p.sysfs, "sysfs mountpoint.")
      ->capture_default_str()
      ->group("Paths");
  app.add_option("--path.rootfs", p.rootfs, "rootfs mountpoint.")
      ->capture_default_str()
      ->group("Paths");
  app.add_option("--path.udev.data", p.udev_data, "udev data path.")
      ->capture_default_str()
      ->group("Paths");
}

void Exporter::AddHandler(std::string path, HttpHandler handler, bool limited,
                          std::string title) {
  impl_->routes.push_back(
      {std::move(path), std::move(handler), limited, std::move(title)});
}

void Exporter::AddStartHook(std::function<void()> hook) {
  impl_->start_hooks.push_back(std::move(hook));
}

void Exporter::AddWorker(std::function<void(std::stop_token)> worker) {
  impl_->workers.push_back(std::move(worker));
}

int Exporter::Run(int argc, char** argv) {
  Impl& im = *impl_;
  // Signals are taken by one thread with sigwait; every thread started from
  // here on inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  im.collectors.AddFlags(im.app);
  im.app.get_formatter()->column_width(48);
  try {
    im.app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << im.app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << im.app.version() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    for (char& c : msg) {
      if (c == '\n') c = ' ';
    }
    std::cerr << im.info.name << ": error: " << msg << " (see --help)\n";
    return 2;
  }
  try {
    log::Init(log::ParseLevel(im.log_level), log::ParseFormat(im.log_format));
    if (im.telemetry_path.empty() || im.telemetry_path[0] != '/') {
      throw std::invalid_argument(
          "--web.telemetry-path: must start with '/', got \"" +
          im.telemetry_path + "\"");
    }
    for (const auto& text : im.listen_addresses) {
      im.addrs.push_back(ParseListenAddress(text));
    }
    im.collectors.Start(CollectorContext{im.paths});
    for (auto& hook : im.start_hooks) hook();
  } catch (const std::exception& e) {
    std::cerr << im.info.name << ": error: " << e.what() << "\n";
    return 2;
  }
  std::string enabled;
  for (const auto& n : im.collectors.EnabledNames())
    enabled += (enabled.empty() ? "" : ",") + n;
  log::Info("starting " + im.info.name,
            {{"version", kVersion}, {"revision", kRevision}});
  log::Info("enabled collectors", {{"collectors", enabled}});
  return im.Serve();
}

}  // namespace common
