# HELP node_disk_discard_time_seconds_total This is the total number of seconds spent by all discards.
# HELP node_disk_discarded_sectors_total The total number of sectors discarded successfully.
# HELP node_disk_discards_completed_total The total number of discards completed successfully.
# HELP node_disk_discards_merged_total The total number of discards merged.
# HELP node_disk_flush_requests_time_seconds_total This is the total number of seconds spent by all flush requests.
# HELP node_disk_flush_requests_total The total number of flush requests completed successfully
# HELP node_disk_info Info of /sys/block/<block_device>.
# HELP node_disk_io_now The number of I/Os currently in progress.
# HELP node_disk_io_time_seconds_total Total seconds spent doing I/Os.
# HELP node_disk_io_time_weighted_seconds_total The weighted # of seconds spent doing I/Os.
# HELP node_disk_read_bytes_total The total number of bytes read successfully.
# HELP node_disk_read_time_seconds_total The total number of seconds spent by all reads.
# HELP node_disk_reads_completed_total The total number of reads completed successfully.
# HELP node_disk_reads_merged_total The total number of reads merged.
# HELP node_disk_write_time_seconds_total This is the total number of seconds spent by all writes.
# HELP node_disk_writes_completed_total The total number of writes completed successfully.
# HELP node_disk_writes_merged_total The number of writes merged.
# HELP node_disk_written_bytes_total The total number of bytes written successfully.
# HELP node_netstat_Tcp_CurrEstab Statistic TcpCurrEstab.
# HELP node_network_receive_bytes_total Network device statistic receive_bytes.
# HELP node_network_receive_compressed_total Network device statistic receive_compressed.
# HELP node_network_receive_drop_total Network device statistic receive_drop.
# HELP node_network_receive_errs_total Network device statistic receive_errs.
# HELP node_network_receive_fifo_total Network device statistic receive_fifo.
# HELP node_network_receive_frame_total Network device statistic receive_frame.
# HELP node_network_receive_multicast_total Network device statistic receive_multicast.
# HELP node_network_receive_packets_total Network device statistic receive_packets.
# HELP node_network_transmit_bytes_total Network device statistic transmit_bytes.
# HELP node_network_transmit_carrier_total Network device statistic transmit_carrier.
# HELP node_network_transmit_colls_total Network device statistic transmit_colls.
# HELP node_network_transmit_compressed_total Network device statistic transmit_compressed.
# HELP node_network_transmit_drop_total Network device statistic transmit_drop.
# HELP node_network_transmit_errs_total Network device statistic transmit_errs.
# HELP node_network_transmit_fifo_total Network device statistic transmit_fifo.
# HELP node_network_transmit_packets_total Network device statistic transmit_packets.
# HELP node_os_info A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.
# HELP node_os_version Metric containing the major.minor part of the OS version.
# HELP node_time_clocksource_available_info Available clocksources read from '/sys/devices/system/clocksource'.
# HELP node_time_clocksource_current_info Current clocksource read from '/sys/devices/system/clocksource'.
# HELP node_time_seconds System time in seconds since epoch (1970).
# HELP node_time_zone_offset_seconds System time zone offset in seconds.
# HELP node_timex_estimated_error_seconds Estimated error in seconds.
# HELP node_timex_frequency_adjustment_ratio Local clock frequency adjustment.
# HELP node_timex_loop_time_constant Phase-locked loop time constant.
# HELP node_timex_maxerror_seconds Maximum error in seconds.
# HELP node_timex_offset_seconds Time offset in between local system and reference clock.
# HELP node_timex_pps_calibration_total Pulse per second count of calibration intervals.
# HELP node_timex_pps_error_total Pulse per second count of calibration errors.
# HELP node_timex_pps_frequency_hertz Pulse per second frequency.
# HELP node_timex_pps_jitter_seconds Pulse per second jitter.
# HELP node_timex_pps_jitter_total Pulse per second count of jitter limit exceeded events.
# HELP node_timex_pps_shift_seconds Pulse per second interval duration.
# HELP node_timex_pps_stability_exceeded_total Pulse per second count of stability limit exceeded events.
# HELP node_timex_pps_stability_hertz Pulse per second stability, average of recent frequency changes.
# HELP node_timex_status Value of the status array bits.
# HELP node_timex_sync_status Is clock synchronized to a reliable server (1 = yes, 0 = no).
# HELP node_timex_tai_offset_seconds International Atomic Time (TAI) offset.
# HELP node_timex_tick_seconds Seconds between clock ticks.
# HELP node_uname_info Labeled system information as provided by the uname system call.
# TYPE node_disk_discard_time_seconds_total counter
# TYPE node_disk_discarded_sectors_total counter
# TYPE node_disk_discards_completed_total counter
# TYPE node_disk_discards_merged_total counter
# TYPE node_disk_flush_requests_time_seconds_total counter
# TYPE node_disk_flush_requests_total counter
# TYPE node_disk_info gauge
# TYPE node_disk_io_now gauge
# TYPE node_disk_io_time_seconds_total counter
# TYPE node_disk_io_time_weighted_seconds_total counter
# TYPE node_disk_read_bytes_total counter
# TYPE node_disk_read_time_seconds_total counter
# TYPE node_disk_reads_completed_total counter
# TYPE node_disk_reads_merged_total counter
# TYPE node_disk_write_time_seconds_total counter
# TYPE node_disk_writes_completed_total counter
# TYPE node_disk_writes_merged_total counter
# TYPE node_disk_written_bytes_total counter
# TYPE node_netstat_Tcp_CurrEstab untyped
# TYPE node_network_receive_bytes_total counter
# TYPE node_network_receive_compressed_total counter
# TYPE node_network_receive_drop_total counter
# TYPE node_network_receive_errs_total counter
# TYPE node_network_receive_fifo_total counter
# TYPE node_network_receive_frame_total counter
# TYPE node_network_receive_multicast_total counter
# TYPE node_network_receive_packets_total counter
# TYPE node_network_transmit_bytes_total counter
# TYPE node_network_transmit_carrier_total counter
# TYPE node_network_transmit_colls_total counter
# TYPE node_network_transmit_compressed_total counter
# TYPE node_network_transmit_drop_total counter
# TYPE node_network_transmit_errs_total counter
# TYPE node_network_transmit_fifo_total counter
# TYPE node_network_transmit_packets_total counter
# TYPE node_os_info gauge
# TYPE node_os_version gauge
# TYPE node_time_clocksource_available_info gauge
# TYPE node_time_clocksource_current_info gauge
# TYPE node_time_seconds gauge
# TYPE node_time_zone_offset_seconds gauge
# TYPE node_timex_estimated_error_seconds gauge
# TYPE node_timex_frequency_adjustment_ratio gauge
# TYPE node_timex_loop_time_constant gauge
# TYPE node_timex_maxerror_seconds gauge
# TYPE node_timex_offset_seconds gauge
# TYPE node_timex_pps_calibration_total counter
# TYPE node_timex_pps_error_total counter
# TYPE node_timex_pps_frequency_hertz gauge
# TYPE node_timex_pps_jitter_seconds gauge
# TYPE node_timex_pps_jitter_total counter
# TYPE node_timex_pps_shift_seconds gauge
# TYPE node_timex_pps_stability_exceeded_total counter
# TYPE node_timex_pps_stability_hertz gauge
# TYPE node_timex_status gauge
# TYPE node_timex_sync_status gauge
# TYPE node_timex_tai_offset_seconds gauge
# TYPE node_timex_tick_seconds gauge
# TYPE node_uname_info gauge
