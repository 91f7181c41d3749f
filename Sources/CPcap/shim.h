// CPcap: libpcap for the gateway's pcap/pcapng readers and live capture.
// This shim exists so Swift sees one header; it adds no code of its own.
#ifndef C_PCAP_SHIM_H
#define C_PCAP_SHIM_H
#include <pcap/pcap.h>
#endif
