#include "hwmon_collector.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <system_error>

#include "common/file_util.h"
#include "common/log.h"

namespace node_health {
namespace {

using common::MetricType;

constexpr std::string_view kSensorTypes[] = {
    "vrm",       "beep_enable", "update_interval",
    "in",        "cpu",         "fan",
    "pwm",       "temp",        "curr",
    "power",     "energy",      "humidity",
    "intrusion", "freq",
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsSensorType(std::string_view type) {
  return std::find(std::begin(kSensorTypes), std::end(kSensorTypes), type) !=
         std::end(kSensorTypes);
}

// Some hwmon drivers answer EAGAIN forever or block on a retried read; like
// node_exporter, read once, at most 128 bytes, and treat any failure
// (including EISDIR for the "power" directory) as an absent attribute.
std::optional<std::string> ReadAttribute(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  char buf[128];
  ssize_t n;
  do {
    n = ::read(fd, buf, sizeof(buf));
  } while (n < 0 && errno == EINTR);
  ::close(fd);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

std::string_view TrimNewlines(std::string_view s) {
  while (!s.empty() && s.front() == '\n') s.remove_prefix(1);
  while (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

std::string RealPath(const std::string& path) {
  char* p = ::realpath(path.c_str(), nullptr);
  if (p == nullptr) return {};
  std::string out(p);
  std::free(p);
  return out;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string_view BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view()
                                         : path.substr(0, slash);
}

using SensorData = std::map<std::string, std::map<std::string, std::string>>;

// Adds the attributes of the sensor files in `dir` to `data`, as
// node_exporter's collectSensorData. Throws common::FileError if `dir`
// cannot be listed.
void CollectSensorData(const std::string& dir, SensorData& data) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw common::FileError(dir, ec.value());
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : it)
    names.push_back(entry.path().filename().string());
  // Sorted so that a later duplicate ("temp01_input" after "temp1_input")
  // wins the same way every time.
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    auto f = ExplodeHwmonFilename(name);
    if (!f || !IsSensorType(f->type)) continue;
    auto value = ReadAttribute(dir + "/" + name);
    if (!value) continue;
    data[std::string(f->type) + std::to_string(f->num)]
        [std::string(f->property)] = TrimNewlines(*value);
  }
}

}  // namespace

std::optional<HwmonFilename> ExplodeHwmonFilename(std::string_view name) {
  size_t max_type = 0;
  while (max_type < name.size() && !IsDigit(name[max_type])) ++max_type;
  // Emulates the backtracking of ^([^0-9]+)([0-9]*)?(_(.+))?$: the longest
  // type and number first, then shorter ones.
  for (size_t t = max_type; t >= 1; --t) {
    std::string_view rest = name.substr(t);
    size_t digits = 0;
    while (digits < rest.size() && IsDigit(rest[digits])) ++digits;
    for (size_t d = digits + 1; d-- > 0;) {
      std::string_view after = rest.substr(d);
      if (!after.empty() && (after.size() < 2 || after[0] != '_')) continue;
      HwmonFilename out;
      out.type = name.substr(0, t);
      if (d > 0) {
        auto r = std::from_chars(rest.data(), rest.data() + d, out.num);
        if (r.ec != std::errc())
          return std::nullopt;  // out of range, as strconv.Atoi
      }
      if (!after.empty()) out.property = after.substr(1);
      return out;
    }
  }
  return std::nullopt;
}

std::string CleanHwmonName(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || IsDigit(static_cast<char>(c)) ||
               c == ':' || c == '_') {
      out += static_cast<char>(c);
    } else {
      out += '_';
      // One '_' per character, not per byte, as Go replaces runes.
      if (c >= 0xC0) {
        while (i + 1 < s.size() &&
               (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80)
          ++i;
      }
    }
  }
  size_t b = out.find_first_not_of('_');
  if (b == std::string::npos) return {};
  size_t e = out.find_last_not_of('_');
  return out.substr(b, e - b + 1);
}

std::string HwmonChipName(std::string_view device_realpath,
                          const std::optional<std::string>& name_file,
                          std::string_view dir_realpath) {
  // The device path is stable across reboots, unlike the hwmonN numbering,
  // and unique, unlike the name file.
  if (!device_realpath.empty()) {
    std::string dev_name = CleanHwmonName(BaseName(device_realpath));
    std::string dev_type = CleanHwmonName(BaseName(DirName(device_realpath)));
    if (!dev_type.empty() && !dev_name.empty())
      return dev_type + "_" + dev_name;
    if (!dev_name.empty()) return dev_name;
  }
  if (name_file) {
    std::string name = CleanHwmonName(*name_file);
    if (!name.empty()) return name;
  }
  return CleanHwmonName(BaseName(dir_realpath));
}

std::vector<HwmonSample> HwmonSensorSamples(
    std::string_view sensor, const std::map<std::string, std::string>& attrs) {
  std::vector<HwmonSample> out;
  auto f = ExplodeHwmonFilename(sensor);
  if (!f) return out;
  const std::string type(f->type);
  const std::string sensor_label(sensor);
  auto bare = attrs.find("");
  auto add = [&](std::string name, std::string help, MetricType mtype,
                 double value) {
    out.push_back(
        {std::move(name), std::move(help), mtype, value, sensor_label});
  };

  if (type == "beep_enable") {
    add("node_hwmon_beep_enabled", "Hardware beep enabled", MetricType::kGauge,
        bare != attrs.end() && bare->second == "1" ? 1.0 : 0.0);
    return out;
  }
  if (type == "vrm" || type == "update_interval") {
    double v;
    if (bare == attrs.end() || !common::TryParseDouble(bare->second, v))
      return out;
    if (type == "vrm") {
      add("node_hwmon_voltage_regulator_version", "Hardware voltage regulator",
          MetricType::kGauge, v);
    } else {
      add("node_hwmon_update_interval_seconds",
          "Hardware monitor update interval", MetricType::kGauge, v * 0.001);
    }
    return out;
  }

  const std::string prefix = "node_hwmon_" + type;
  for (const auto& [element, text] : attrs) {
    if (element == "label") continue;
    std::string name = prefix;
    if (element == "input") {
      // With a bare "temp1" file as well, "temp1_input" gets its own name.
      if (bare != attrs.end()) name += "_input";
    } else if (!element.empty()) {
      name += "_" + CleanHwmonName(element);
    }
    double v;
    if (!common::TryParseDouble(text, v)) continue;

    if (element == "fault" || element == "alarm") {
      add(name, "Hardware sensor " + element + " status (" + type + ")",
          MetricType::kGauge, v);
    } else if (element == "beep") {
      add(name + "_enabled", "Hardware monitor sensor has beeping enabled",
          MetricType::kGauge, v);
    } else if (type == "in" || type == "cpu") {
      add(name + "_volts", "Hardware monitor for voltage (" + element + ")",
          MetricType::kGauge, v * 0.001);
    } else if (type == "temp" && element != "type") {
      add(name + "_celsius",
          "Hardware monitor for temperature (" +
              (element.empty() ? "input" : element) + ")",
          MetricType::kGauge, v * 0.001);
    } else if (type == "curr") {
      add(name + "_amps", "Hardware monitor for current (" + element + ")",
          MetricType::kGauge, v * 0.001);
    } else if (type == "energy") {
      add(name + "_joule_total",
          "Hardware monitor for joules used so far (" + element + ")",
          MetricType::kCounter, v / 1e6);
    } else if (type == "power" && element == "accuracy") {
      add(name, "Hardware monitor power meter accuracy, as a ratio",
          MetricType::kGauge, v / 1e6);
    } else if (type == "power" && (element == "average_interval" ||
                                   element == "average_interval_min" ||
                                   element == "average_interval_max")) {
      add(name + "_seconds",
          "Hardware monitor power usage update interval (" + element + ")",
          MetricType::kGauge, v * 0.001);
    } else if (type == "power") {
      add(name + "_watt",
          "Hardware monitor for power usage in watts (" + element + ")",
          MetricType::kGauge, v / 1e6);
    } else if (type == "humidity") {
      add(name,
          "Hardware monitor for humidity, as a ratio (multiply with 100.0 to "
          "get the humidity "
          "as a percentage) (" +
              element + ")",
          MetricType::kGauge, v / 1e6);
    } else if (type == "fan" && (element == "input" || element == "min" ||
                                 element == "max" || element == "target")) {
      add(name + "_rpm",
          "Hardware monitor for fan revolutions per minute (" + element + ")",
          MetricType::kGauge, v);
    } else if (type == "freq" && element == "input") {
      // GPU clocks are told apart by their label ("sclk", "mclk"), which
      // node_exporter puts in the sensor label.
      if (auto label = attrs.find("label"); label != attrs.end()) {
        add(name + "_freq_mhz", "Hardware monitor for GPU frequency in MHz",
            MetricType::kGauge, v / 1e6);
        out.back().sensor = CleanHwmonName(label->second);
      }
    } else {
      add(name, "Hardware monitor " + type + " element " + element,
          MetricType::kGauge, v);
    }
  }
  return out;
}

HwmonCollector::HwmonCollector(const common::Paths& paths,
                               const HwmonOptions& options)
    : class_dir_(paths.Sys("class/hwmon")),
      chip_filter_(options.chip_include, options.chip_exclude,
                   "--collector.hwmon.chip"),
      sensor_filter_(options.sensor_include, options.sensor_exclude,
                     "--collector.hwmon.sensor"),
      chip_names_("node_hwmon_chip_names",
                  "Annotation metric for human-readable chip names",
                  MetricType::kGauge, {"chip", "chip_name"}),
      sensor_label_("node_hwmon_sensor_label",
                    "Label for given chip and sensor", MetricType::kGauge,
                    {"chip", "sensor", "label"}) {}

const common::Desc& HwmonCollector::DescFor(common::MetricSink& sink,
                                            const HwmonSample& s) {
  return *descs_.Get(
      s.name, sink, [&s](std::string_view) -> std::optional<common::Desc> {
        return common::Desc(s.name, s.help, s.type, {"chip", "sensor"});
      });
}

void HwmonCollector::Update(common::MetricSink& sink) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(class_dir_, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory ||
        ec == std::errc::not_a_directory) {
      throw common::NoDataError(class_dir_ + " does not exist");
    }
    throw common::FileError(class_dir_, ec.value());
  }
  std::vector<std::string> entries;
  for (const fs::directory_entry& entry : it) {
    entries.push_back(entry.path().filename().string());
  }
  std::sort(entries.begin(), entries.end());

  size_t succeeded = 0;
  std::exception_ptr last_error;
  SensorData data;
  for (const std::string& entry : entries) {
    std::string dir = class_dir_ + "/" + entry;
    if (!IsDirectory(dir)) continue;  // also skips dangling links
    size_t mark = sink.size();
    try {
      std::string device_link = dir + "/device";
      std::string device_real = RealPath(device_link);
      std::optional<std::string> name_file;
      try {
        name_file = common::ReadOptionalFile(dir + "/name");
      } catch (const common::FileError&) {
      }
      std::string chip = HwmonChipName(device_real, name_file, RealPath(dir));
      if (chip.empty())
        throw common::ParseError("hwmon: no chip name for " + dir);
      if (!chip_filter_.Allows(chip)) {
        ++succeeded;
        continue;
      }

      data.clear();
      CollectSensorData(dir, data);
      if (!device_real.empty() && IsDirectory(device_link)) {
        CollectSensorData(device_link, data);
      }

      if (name_file) {
        std::string chip_name = CleanHwmonName(*name_file);
        if (!chip_name.empty()) sink.Add(chip_names_, 1.0, {chip, chip_name});
      }
      for (const auto& [sensor, attrs] : data) {
        if (!sensor_filter_.Allows(chip + ";" + sensor)) continue;
        if (auto label = attrs.find("label"); label != attrs.end()) {
          sink.Add(sensor_label_, 1.0, {chip, sensor, label->second});
        }
        for (const HwmonSample& s : HwmonSensorSamples(sensor, attrs)) {
          sink.Add(DescFor(sink, s), s.value, {chip, s.sensor});
        }
      }
      ++succeeded;
    } catch (const std::exception& e) {
      // One broken chip must not hide the others.
      sink.Rollback(mark);
      last_error = std::current_exception();
      common::log::Warn("hwmon chip failed",
                        {{"path", dir}, {"err", e.what()}});
    }
  }
  if (succeeded == 0 && last_error) std::rethrow_exception(last_error);
}

common::CollectorSpec HwmonSpec() {
  auto opts = std::make_shared<HwmonOptions>();
  return {
      .name = "hwmon",
      .enabled_by_default = true,
      .add_flags =
          [opts](CLI::App& app) {
            app.add_option(
                   "--collector.hwmon.chip-include", opts->chip_include,
                   "Regexp of hwmon chip to include (mutually exclusive to "
                   "chip-exclude).")
                ->capture_default_str()
                ->group("Collector options");
            app.add_option(
                   "--collector.hwmon.chip-exclude", opts->chip_exclude,
                   "Regexp of hwmon chip to exclude (mutually exclusive to "
                   "chip-include).")
                ->capture_default_str()
                ->group("Collector options");
            app.add_option(
                   "--collector.hwmon.sensor-include", opts->sensor_include,
                   "Regexp of hwmon sensor to include (mutually exclusive to "
                   "sensor-exclude).")
                ->capture_default_str()
                ->group("Collector options");
            app.add_option(
                   "--collector.hwmon.sensor-exclude", opts->sensor_exclude,
                   "Regexp of hwmon sensor to exclude (mutually exclusive to "
                   "sensor-include).")
                ->capture_default_str()
                ->group("Collector options");
          },
      .factory =
          [opts](const common::CollectorContext& ctx) {
            return std::make_unique<HwmonCollector>(ctx.paths, *opts);
          }};
}

}  // namespace node_health
