#include "sockstat_collector.h"

#include <unistd.h>

#include "common/file_util.h"

namespace node_health {
namespace {

[[noreturn]] void ThrowLine(std::string_view line, std::string_view what) {
  throw common::ParseError(common::Quote(line) + ": " + std::string(what));
}

}  // namespace

std::vector<SockstatValue> ParseSockstat(std::string_view text) {
  std::vector<SockstatValue> out;
  std::vector<std::string_view> f;
  common::ForEachLine(text, [&](std::string_view line) {
    common::SplitFieldsInto(line, f);
    if (f.empty()) return;
    std::string_view protocol = f[0];
    if (protocol.size() < 2 || !protocol.ends_with(':')) {
      ThrowLine(line, "expected \"<PROTO>:\"");
    }
    protocol.remove_suffix(1);
    if (f.size() % 2 != 1) ThrowLine(line, "expected key value pairs");
    for (size_t i = 1; i < f.size(); i += 2) {
      out.push_back(
          {.protocol = protocol,
           .key = f[i],
           .value = static_cast<double>(common::ParseInt64(f[i + 1], f[i]))});
    }
  });
  return out;
}

SockstatCollector::SockstatCollector(const common::Paths& paths, long page_size)
    : v4_path_(paths.Proc("net/sockstat")),
      v6_path_(paths.Proc("net/sockstat6")),
      page_size_(static_cast<double>(page_size)),
      sockets_used_("node_sockstat_sockets_used",
                    "Number of IPv4 sockets in use.",
                    common::MetricType::kGauge),
      descs_([](std::string_view proto_key) -> std::optional<common::Desc> {
        std::string name = "node_sockstat_" + std::string(proto_key);
        if (!common::IsValidMetricName(name)) {
          throw common::ParseError("unexpected protocol or key \"" +
                                   std::string(proto_key) + "\"");
        }
        // Protocol names (TCP, UDPLITE, FRAG6) hold no '_'; keys may
        // (mem_bytes).
        size_t sep = proto_key.find('_');
        return common::Desc(std::move(name),
                            "Number of " +
                                std::string(proto_key.substr(0, sep)) +
                                " sockets in state " +
                                std::string(proto_key.substr(sep + 1)) + ".",
                            common::MetricType::kGauge);
      }) {
  if (page_size_ <= 0) {
    long ps = ::sysconf(_SC_PAGESIZE);
    page_size_ = ps > 0 ? static_cast<double>(ps) : 4096.0;
  }
}

const common::Desc& SockstatCollector::DescOf(common::MetricSink& sink,
                                              std::string_view protocol,
                                              std::string_view key) {
  std::string proto_key(protocol);
  proto_key += '_';
  proto_key += key;
  return *descs_.Get(proto_key, sink);
}

void SockstatCollector::AddFile(common::MetricSink& sink,
                                const std::string& path, std::string_view text,
                                bool ipv6) {
  try {
    for (const SockstatValue& v : ParseSockstat(text)) {
      if (v.protocol == "sockets") {
        // Only the IPv4 file counts all sockets; node_exporter exports
        // nothing else from this line.
        if (!ipv6 && v.key == "used") sink.Add(sockets_used_, v.value);
        continue;
      }
      sink.Add(DescOf(sink, v.protocol, v.key), v.value);
      if (v.key == "mem") {
        sink.Add(DescOf(sink, v.protocol, "mem_bytes"), v.value * page_size_);
      }
    }
  } catch (const common::ParseError& e) {
    throw common::ParseError(path + ": " + e.what());
  }
}

void SockstatCollector::Update(common::MetricSink& sink) {
  // Either file is absent when its IP version is disabled in the kernel.
  auto v4 = common::ReadOptionalFile(v4_path_);
  auto v6 = common::ReadOptionalFile(v6_path_);
  if (!v4 && !v6) {
    throw common::NoDataError("no " + v4_path_ + " nor " + v6_path_);
  }
  if (v4) AddFile(sink, v4_path_, *v4, false);
  if (v6) AddFile(sink, v6_path_, *v6, true);
}

common::CollectorSpec SockstatSpec() {
  return {.name = "sockstat",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<SockstatCollector>(ctx.paths);
          }};
}

}  // namespace node_health
