/* History lines of the AIO families (format version 2): the header line,
 * request fields, and the CQE-like events. docs/history-format.md */
#include <inttypes.h>
#include <string.h>

#include "aio_model.h"
#include "history_aio.h"

static const char *const source_lines[CF_EV__COUNT] = {
	"cqe", "event", "copied", "done", "notify", "notify",
};
static const char *const notify_names[] = { "signal", "thread" };

void cf_history_write_family_header(const struct cf_history *h, FILE *out)
{
	if (cf_mode_family(h->mode) == CF_FAMILY_AIO)
		fprintf(out, "aio mode=%s entries=%u ring=%u\n", cf_mode_name(h->mode), h->entries,
			h->aio_ring_nr);
	else
		fprintf(out, "posix mode=%s entries=%u libc=%s threads=%u\n", cf_mode_name(h->mode),
			h->entries, h->libc[0] ? h->libc : "unknown", h->px_threads);
}

void cf_history_write_family_req(const struct cf_history *h, unsigned id, FILE *out)
{
	const struct cf_req_rec *r = &h->reqs[id];
	enum cf_family fam = cf_mode_family(h->mode);

	fprintf(out, "req %u act=%u kind=%s", id, r->act,
		r->req == CF_REQ_CANCEL ? "cancel" : cf_family_req_name(fam, r->req));
	if (fam == CF_FAMILY_AIO && r->req == CF_REQ_CANCEL)
		fprintf(out, " target=%s of=%d ud=0x%" PRIx64 " flags=0x%x",
			cf_aio_target_names[r->api % CF_AIOT__COUNT], r->target, r->key_ud,
			r->cancel_flags);
	else if (fam == CF_FAMILY_AIO)
		fprintf(out, " slot=%s closed=%u ud=0x%" PRIx64 " flags=0x%x", cf_slot_name(r->slot),
			r->slot_closed, r->user_data, r->sqe_flags);
	else if (r->req == CF_REQ_CANCEL)
		fprintf(out, " how=%s of=%d cb=%" PRIu64 " slot=%s fd=%d after=%d changed=%u",
			cf_px_cancel_names[r->api % CF_PXC__COUNT], r->target, r->key_ud,
			cf_slot_name(r->slot), r->fd_id, r->status_after, r->cb_changed);
	else
		fprintf(out, " slot=%s closed=%u fd=%d cb=%" PRIu64 " notify=%s",
			cf_slot_name(r->slot), r->slot_closed, r->fd_id, r->user_data,
			cf_px_notify_names[r->sqe_flags % CF_PXN__COUNT]);
	fputc('\n', out);
}

void cf_history_write_event(const struct cf_history *h, const struct cf_cqe_rec *c, FILE *out)
{
	(void)h;
	fprintf(out, "%s act=%u req=%d", source_lines[c->source % CF_EV__COUNT], c->act, c->req);
	switch (c->source) {
	case CF_EV_RING:
	case CF_EV_COPIED:
		fprintf(out, " ud=0x%" PRIx64 " res=%d res2=%" PRId64, c->user_data, c->res, c->res2);
		break;
	case CF_EV_DONE:
		fprintf(out, " res=%d err=%" PRId64, c->res, c->res2);
		break;
	default:
		fprintf(out, " how=%s", notify_names[c->source == CF_EV_THREAD]);
		break;
	}
	fputc('\n', out);
}

/* ---- reader ---- */

int cf_history_read_family_header(struct cf_hreader *rd, struct cf_history *h)
{
	uint64_t v;
	unsigned u;
	const char *libc;

	if (rd->ntok < 1 || (strcmp(rd->tok[0], "aio") != 0 && strcmp(rd->tok[0], "posix") != 0))
		return cf_hr_fail(rd, "expected %s line (history version 2)", "aio or posix");
	if (cf_hr_need_name(rd, 1, "mode", cf_mode_names, CF_MODE__COUNT, &u) < 0)
		return -1;
	if (strcmp(rd->tok[0], cf_mode_family(u) == CF_FAMILY_AIO ? "aio" : "posix") != 0 ||
	    cf_mode_family(u) == CF_FAMILY_URING)
		return cf_hr_fail(rd, "mode= does not belong on a%s line",
				  rd->tok[0][0] == 'a' ? "n aio" : " posix");
	h->mode = (uint8_t)u;
	if (cf_hr_need_u(rd, 1, "entries", 32, &v) < 0)
		return -1;
	if (cf_entries_from_code(cf_entries_code((unsigned)v)) != v)
		return cf_hr_fail(rd, "bad %s=", "entries");
	h->entries = (uint8_t)v;
	if (cf_mode_family(u) == CF_FAMILY_AIO) {
		if (cf_hr_need_u(rd, 1, "ring", UINT32_MAX, &v) < 0)
			return -1;
		h->aio_ring_nr = (uint32_t)v;
		return 0;
	}
	libc = cf_hr_field(rd, 1, "libc");
	if (!libc || !*libc || strlen(libc) >= sizeof(h->libc))
		return cf_hr_fail(rd, "missing or bad %s=", "libc");
	snprintf(h->libc, sizeof(h->libc), "%s", libc);
	if (cf_hr_need_u(rd, 1, "threads", UINT32_MAX, &v) < 0)
		return -1;
	h->px_threads = (uint32_t)v;
	return 0;
}

static int need_req_id(struct cf_hreader *rd, struct cf_history *h, const char *key, int16_t *out)
{
	long long v;

	if (cf_hr_need_i(rd, 2, key, -1, (long long)h->nreqs - 1, &v) < 0)
		return -1;
	*out = (int16_t)v;
	return 0;
}

int cf_history_read_family_req(struct cf_hreader *rd, struct cf_history *h, struct cf_req_rec *r)
{
	enum cf_family fam = cf_mode_family(h->mode);
	const char *kind = cf_hr_field(rd, 2, "kind");
	uint64_t v;
	long long s;
	unsigned u;

	r->target = -1;
	r->fd_id = -1;
	if (kind && strcmp(kind, "cancel") == 0) {
		r->req = CF_REQ_CANCEL;
	} else if (fam == CF_FAMILY_AIO) {
		if (cf_hr_need_name(rd, 2, "kind", cf_aio_cmd_names, CF_AIO_CMD__COUNT, &u) < 0)
			return -1;
		r->req = (uint8_t)u;
	} else {
		if (cf_hr_need_name(rd, 2, "kind", cf_px_req_names, CF_PX_REQ__COUNT, &u) < 0)
			return -1;
		r->req = (uint8_t)u;
	}
	if (fam == CF_FAMILY_AIO && r->req == CF_REQ_CANCEL) {
		if (cf_hr_need_name(rd, 2, "target", cf_aio_target_names, CF_AIOT__COUNT, &u) < 0)
			return -1;
		r->api = (uint8_t)u;
		if (need_req_id(rd, h, "of", &r->target) < 0) return -1;
		if (cf_hr_need_u(rd, 2, "ud", UINT64_MAX, &r->key_ud) < 0) return -1;
		if (cf_hr_need_u(rd, 2, "flags", CF_AIOC__MASK, &v) < 0) return -1;
		r->cancel_flags = (uint32_t)v;
		return 0;
	}
	if (r->req == CF_REQ_CANCEL) {
		if (cf_hr_need_name(rd, 2, "how", cf_px_cancel_names, CF_PXC__COUNT, &u) < 0)
			return -1;
		r->api = (uint8_t)u;
		if (need_req_id(rd, h, "of", &r->target) < 0) return -1;
		if (cf_hr_need_u(rd, 2, "cb", CF_PX_CBS - 1, &r->key_ud) < 0) return -1;
	}
	if (cf_hr_need_name(rd, 2, "slot", cf_slot_names, CF_SLOT__COUNT, &u) < 0)
		return -1;
	r->slot = (uint8_t)u;
	if (fam == CF_FAMILY_POSIX) {
		if (cf_hr_need_i(rd, 2, "fd", -1, 127, &s) < 0) return -1;
		r->fd_id = (int8_t)s;
	}
	if (r->req == CF_REQ_CANCEL) {
		if (cf_hr_need_i(rd, 2, "after", INT32_MIN, INT32_MAX, &s) < 0) return -1;
		r->status_after = (int32_t)s;
		if (cf_hr_need_u(rd, 2, "changed", 1, &v) < 0) return -1;
		r->cb_changed = (uint8_t)v;
		return 0;
	}
	if (cf_hr_need_u(rd, 2, "closed", 1, &v) < 0) return -1;
	r->slot_closed = (uint8_t)v;
	if (fam == CF_FAMILY_AIO) {
		if (cf_hr_need_u(rd, 2, "ud", UINT64_MAX, &r->user_data) < 0) return -1;
		if (cf_hr_need_u(rd, 2, "flags", CF_AIOQ__MASK, &v) < 0) return -1;
		r->sqe_flags = (uint8_t)v;
		return 0;
	}
	if (cf_hr_need_u(rd, 2, "cb", CF_PX_CBS - 1, &r->user_data) < 0) return -1;
	if (cf_hr_need_name(rd, 2, "notify", cf_px_notify_names, CF_PXN__COUNT, &u) < 0)
		return -1;
	r->sqe_flags = (uint8_t)u;
	return 0;
}

int cf_history_read_event(struct cf_hreader *rd, struct cf_history *h)
{
	enum cf_family fam = cf_mode_family(h->mode);
	struct cf_cqe_rec *c;
	unsigned src, u;
	long long s;
	uint64_t v;

	for (src = CF_EV_RING; src < CF_EV__COUNT; src++)
		if (strcmp(rd->tok[0], source_lines[src]) == 0)
			break;
	if (src == CF_EV__COUNT)
		return 1;
	if ((fam == CF_FAMILY_AIO) != (src == CF_EV_RING || src == CF_EV_COPIED))
		return cf_hr_fail(rd, "'%s' line in a history of another family", rd->tok[0]);
	if (h->nacts == 0)
		return cf_hr_fail(rd, "%s line before any act line", rd->tok[0]);
	if (h->ncqes >= CF_MAX_CQES)
		return cf_hr_fail(rd, "more than the %s events a history holds", "8192");
	c = &h->cqes[h->ncqes];
	memset(c, 0, sizeof(*c));
	if (cf_hr_need_u(rd, 1, "act", UINT16_MAX, &v) < 0)
		return -1;
	if (v != h->nacts - 1u)
		return cf_hr_fail(rd, "%s act= is not the act line above", rd->tok[0]);
	c->act = (uint16_t)v;
	if (cf_hr_need_i(rd, 1, "req", -1, (long long)h->nreqs - 1, &s) < 0)
		return -1;
	c->req = (int16_t)s;
	if (src == CF_EV_RING || src == CF_EV_COPIED) {
		if (cf_hr_need_u(rd, 1, "ud", UINT64_MAX, &c->user_data) < 0) return -1;
		if (cf_hr_need_i(rd, 1, "res", INT32_MIN, INT32_MAX, &s) < 0) return -1;
		c->res = (int32_t)s;
		if (cf_hr_need_i(rd, 1, "res2", INT64_MIN, INT64_MAX, &s) < 0) return -1;
		c->res2 = s;
	} else if (src == CF_EV_DONE) {
		if (cf_hr_need_i(rd, 1, "res", INT32_MIN, INT32_MAX, &s) < 0) return -1;
		c->res = (int32_t)s;
		if (cf_hr_need_i(rd, 1, "err", INT32_MIN, INT32_MAX, &s) < 0) return -1;
		c->res2 = s;
	} else {
		if (cf_hr_need_name(rd, 1, "how", notify_names, 2, &u) < 0) return -1;
		src = u ? CF_EV_THREAD : CF_EV_SIGNAL;
	}
	if (src != CF_EV_COPIED && c->req >= 0 && h->reqs[c->req].req == CF_REQ_CANCEL)
		return cf_hr_fail(rd, "%s line names a cancel request", rd->tok[0]);
	c->source = (uint8_t)src;
	h->ncqes++;
	return 0;
}
