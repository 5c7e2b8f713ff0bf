// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mkpcap.c - write the messages of the tshark cross-check as a pcap.
 *
 *   mkpcap OUT.pcap OUT.hex
 *
 * OUT.pcap: one IPv6 packet per message (LINKTYPE_RAW, Next Header 135,
 * the MH checksum filled by mh_checksum so Wireshark sees a real packet).
 * OUT.hex: the Mobility Header of each packet as one hex line, in frame
 * order, for `xpmipctl decode` to read.
 *
 * Messages: three hand-written vectors (another encoder than ours: the
 * bytes in tests/unit/test_codec_vectors.h), then messages built by our
 * encoder. Only options Wireshark 4.0 dissects go into PBU/PBA/HB (MN-ID,
 * HNP, HI, ATT, MN-LL-ID, LLA, Timestamp, Restart Counter, GRE Key, BID);
 * UPN/UPA, which it shows as an unknown MH type, carry the rest.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_codec.h"
#include "../unit/test_codec_vectors.h"

/* pcap file format (libpcap's savefile.c, "pcap" in the tcpdump docs) */
#define PCAP_MAGIC		0xa1b2c3d4u
#define PCAP_VERSION_MAJOR	2
#define PCAP_VERSION_MINOR	4
#define PCAP_SNAPLEN		65535
#define LINKTYPE_RAW		101	/* raw IPv4/IPv6, told apart by the version */
#define IPV6_VERSION_TC_FL	0x60000000u
#define HOP_LIMIT		64
#define FRAME_EPOCH_S		1600000000u	/* fixed capture times: stable output */

static const char *src_s = "2001:db8:a::1";	/* MAG */
static const char *dst_s = "2001:db8:b::1";	/* LMA */

static void put_u32(FILE *f, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, f);	/* host order: the magic tells the reader */
}

static void put_u16(FILE *f, uint16_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static unsigned int frame_no;

static void write_packet(FILE *pcap, FILE *hexf, const uint8_t *mh_in, size_t len)
{
	uint8_t pkt[XP_IPV6_HDR_LEN + MH_MAX_MSG_LEN];
	struct in6_addr src, dst;
	uint32_t vtf = htonl(IPV6_VERSION_TC_FL);
	uint16_t plen = htons((uint16_t)len), csum;
	uint8_t *mh = pkt + XP_IPV6_HDR_LEN;

	inet_pton(AF_INET6, src_s, &src);
	inet_pton(AF_INET6, dst_s, &dst);
	memcpy(pkt, &vtf, sizeof(vtf));
	memcpy(pkt + 4, &plen, sizeof(plen));
	pkt[6] = XP_IPPROTO_MH;
	pkt[7] = HOP_LIMIT;
	memcpy(pkt + 8, &src, sizeof(src));
	memcpy(pkt + 8 + XP_IPV6_ADDR_LEN, &dst, sizeof(dst));
	memcpy(mh, mh_in, len);
	mh[XP_MH_CSUM_OFFSET] = mh[XP_MH_CSUM_OFFSET + 1] = 0;
	csum = mh_checksum(&src, &dst, mh, len);
	memcpy(mh + XP_MH_CSUM_OFFSET, &csum, sizeof(csum));

	put_u32(pcap, FRAME_EPOCH_S + frame_no++);
	put_u32(pcap, 0);
	put_u32(pcap, (uint32_t)(XP_IPV6_HDR_LEN + len));
	put_u32(pcap, (uint32_t)(XP_IPV6_HDR_LEN + len));
	fwrite(pkt, 1, XP_IPV6_HDR_LEN + len, pcap);

	for (size_t i = 0; i < len; i++)
		fprintf(hexf, "%02x", mh[i]);
	fputc('\n', hexf);
}

static void write_msg(FILE *pcap, FILE *hexf, const struct mh_msg *m)
{
	uint8_t buf[MH_MAX_MSG_LEN];
	int n = mh_encode(m, buf, sizeof(buf));

	if (n < 0) {
		fprintf(stderr, "mkpcap: encode frame %u: %s\n", frame_no + 1, mh_strerror(n));
		exit(1);
	}
	write_packet(pcap, hexf, buf, (size_t)n);
}

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		abort();
	return a;
}

int main(int argc, char **argv)
{
	static const uint8_t mac[] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct mh_msg m;
	struct in6_addr p;
	FILE *pcap, *hexf;

	if (argc != 3) {
		fprintf(stderr, "usage: mkpcap OUT.pcap OUT.hex\n");
		return 2;
	}
	pcap = fopen(argv[1], "wb");
	hexf = fopen(argv[2], "w");
	if (!pcap || !hexf) {
		perror("mkpcap");
		return 1;
	}
	put_u32(pcap, PCAP_MAGIC);
	put_u16(pcap, PCAP_VERSION_MAJOR);
	put_u16(pcap, PCAP_VERSION_MINOR);
	put_u32(pcap, 0);		/* thiszone */
	put_u32(pcap, 0);		/* sigfigs */
	put_u32(pcap, PCAP_SNAPLEN);
	put_u32(pcap, LINKTYPE_RAW);

	/* 1-3: hand-written vectors */
	write_packet(pcap, hexf, v_pbu, sizeof(v_pbu));
	write_packet(pcap, hexf, v_pbu_llid, sizeof(v_pbu_llid));
	write_packet(pcap, hexf, v_hb, sizeof(v_hb));

	/* 4: a full initial-attach PBU from our encoder */
	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.bu.seq = 4660;
	m.bu.flags = XP_BU_F_A | XP_BU_F_H | XP_BU_F_L | XP_BU_F_P;
	m.bu.lifetime = 900;
	mh_set_mnid(&m, "mn42@operator.example");
	p = a6("2001:db8:100::");
	mh_add_hnp(&m, &p, 64, 0);
	p = a6("2001:db8:200::");
	mh_add_hnp(&m, &p, 56, 0);
	m.opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_MN_LLID | MH_HAS_LLA |
			 MH_HAS_TIMESTAMP | MH_HAS_GRE_KEY;
	m.opt.hi = XP_HI_IAHO;
	m.opt.att = XP_ATT_EUTRAN;
	m.opt.llid_ifp = 2;
	m.opt.llid_primary = true;
	m.opt.llid_len = sizeof(mac);
	memcpy(m.opt.llid, mac, sizeof(mac));
	m.opt.lla = a6("fe80::211:22ff:fe33:4455");
	m.opt.timestamp = ((uint64_t)1700000000 << 16) | 0x4000;
	m.opt.gre_key = 0xdeadbeef;
	m.opt.n_bid = 1;
	m.opt.bid[0] = (struct mh_bid){ .bid = 7, .status = 0, .h = true, .pri = 9,
					.coa_len = XP_IPV6_ADDR_LEN };
	p = a6("2001:db8:c0a::7");
	memcpy(m.opt.bid[0].coa, &p, sizeof(p));
	write_msg(pcap, hexf, &m);

	/* 5: the PBA accepting it */
	mh_msg_init(&m, XP_MH_TYPE_BA);
	m.ba.status = XP_PBA_ACCEPTED;
	m.ba.flags = XP_BA_F_P;
	m.ba.seq = 4660;
	m.ba.lifetime = 900;
	mh_set_mnid(&m, "mn42@operator.example");
	p = a6("2001:db8:100::");
	mh_add_hnp(&m, &p, 64, 0);
	m.opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_TIMESTAMP | MH_HAS_GRE_KEY;
	m.opt.hi = XP_HI_IAHO;
	m.opt.att = XP_ATT_EUTRAN;
	m.opt.timestamp = ((uint64_t)1700000000 << 16) | 0x4000;
	m.opt.gre_key = 0x00c0ffee;
	write_msg(pcap, hexf, &m);

	/* 6: a rejecting PBA (TIMESTAMP_LOWER_THAN_PREV_ACCEPTED) */
	mh_msg_init(&m, XP_MH_TYPE_BA);
	m.ba.status = XP_PBA_TIMESTAMP_LOWER;
	m.ba.flags = XP_BA_F_P;
	m.ba.seq = 4661;
	m.ba.lifetime = 0;
	mh_set_mnid(&m, "mn42@operator.example");
	m.opt.present |= MH_HAS_TIMESTAMP;
	m.opt.timestamp = ((uint64_t)1700000123 << 16);
	write_msg(pcap, hexf, &m);

	/* 7: a de-registration PBU with HI "not changed" */
	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.bu.seq = 65535;
	m.bu.flags = XP_BU_F_A | XP_BU_F_P;
	m.bu.lifetime = 0;
	mh_set_mnid(&m, "x@y");
	m.opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_TIMESTAMP;
	m.opt.hi = XP_HI_NOT_CHANGED;
	m.opt.att = XP_ATT_80211;
	m.opt.timestamp = ((uint64_t)1700000200 << 16) | 0xffff;
	write_msg(pcap, hexf, &m);

	/* 8: a Heartbeat response carrying the Restart Counter */
	mh_msg_init(&m, XP_MH_TYPE_HB);
	m.hb.flags = XP_HB_F_R;
	m.hb.seq = 3000000000u;
	m.opt.present = MH_HAS_RESTART_CTR;
	m.opt.restart_ctr = 77;
	write_msg(pcap, hexf, &m);

	/* 9: UPN (flow mobility) with MN-ID and a Flow Identification */
	mh_msg_init(&m, XP_MH_TYPE_UPN);
	m.upn.seq = 9;
	m.upn.reason = XP_UPN_R_FLOW_MOBILITY;
	m.upn.flags = XP_UPN_F_A;
	mh_set_mnid(&m, "mn42@operator.example");
	m.opt.n_flow_id = 1;
	m.opt.flow_id[0].fid = 1;
	m.opt.flow_id[0].fid_pri = 1;
	m.opt.flow_id[0].n_bid_ref = 1;
	m.opt.flow_id[0].bid_ref[0] = 7;
	write_msg(pcap, hexf, &m);

	/* 10: UPA */
	mh_msg_init(&m, XP_MH_TYPE_UPA);
	m.upa.seq = 9;
	m.upa.status = XP_UPA_S_SUCCESS;
	write_msg(pcap, hexf, &m);

	if (fclose(pcap) || fclose(hexf)) {
		perror("mkpcap");
		return 1;
	}
	return 0;
}
