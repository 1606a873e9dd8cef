#pragma once

#include <string_view>

#include "common/metric_sink.h"

namespace common {

// The version of the suite, e.g. "0.1.0".
extern const std::string_view kVersion;
// The git revision the binary was built from, or "unknown".
extern const std::string_view kRevision;
// The compiler and its version, e.g. "gcc-12.2.0".
extern const std::string_view kCompiler;

// Adds <ns>_build_info{version,revision,compiler} 1 to `sink`.
void AddBuildInfo(MetricSink& sink, const Desc& desc);

// The Desc of <ns>_build_info.
Desc BuildInfoDesc(std::string_view metric_namespace);

}  // namespace common
