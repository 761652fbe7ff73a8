/* natter-fake-provider.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* An in-process fake LLM provider for tests: a real SoupServer on
 * 127.0.0.1 (port 0 unless asked otherwise) that replays scripted
 * responses, possibly chunk by chunk with delays, byte at a time, dropping
 * the connection mid-body or stalling forever, and records every request.
 *
 * Everything runs on the thread-default main context of the thread that
 * called natter_fake_provider_new(); tests spin that context while the
 * client under test talks to the server. */

typedef struct _NatterFakeProvider NatterFakeProvider;
typedef struct _NatterFakeResponse NatterFakeResponse;

/* One received request, as recorded. Owned by the provider. */
typedef struct
{
  char               *method;
  char               *path;
  char               *query;        /* nullable, still %-encoded */
  char               *uri;          /* the whole request URI as received */
  SoupMessageHeaders *headers;
  char               *body;         /* NUL-terminated copy */
  gsize               body_len;
  char               *headers_json; /* {"name":"value",...} */
} NatterFakeRequest;

/* Responses: status, content type, headers and a body made of chunks. */
NatterFakeResponse *natter_fake_response_new                 (guint                status,
                                                              const char          *content_type);
/* Shorthand: one chunk holding @body. */
NatterFakeResponse *natter_fake_response_new_body            (guint                status,
                                                              const char          *content_type,
                                                              const char          *body);
NatterFakeResponse *natter_fake_response_ref                 (NatterFakeResponse  *self);
void                natter_fake_response_unref               (NatterFakeResponse  *self);
void                natter_fake_response_add_header          (NatterFakeResponse  *self,
                                                              const char          *name,
                                                              const char          *value);
/* Appends a chunk sent @delay_ms after the previous one was written.
 * @len -1: NUL-terminated. */
void                natter_fake_response_add_chunk           (NatterFakeResponse  *self,
                                                              const char          *data,
                                                              gssize               len,
                                                              guint                delay_ms);
/* Appends @count copies of @chunk, written in large batches (benchmarks). */
void                natter_fake_response_add_repeat          (NatterFakeResponse  *self,
                                                              const char          *chunk,
                                                              guint                count);
/* Appends a gate: the body stops here until natter_fake_provider_open_gate()
 * is called. Lets a test check that the client saw the chunks before it. */
void                natter_fake_response_add_gate            (NatterFakeResponse  *self);
/* Delay applied to every chunk that has no own delay. */
void                natter_fake_response_set_chunk_delay     (NatterFakeResponse  *self,
                                                              guint                delay_ms);
/* Delay before the response head is sent. */
void                natter_fake_response_set_first_byte_delay (NatterFakeResponse *self,
                                                              guint                delay_ms);
void                natter_fake_response_set_byte_at_a_time  (NatterFakeResponse  *self,
                                                              gboolean             byte_at_a_time);
/* After @n chunks (gates not counted) close the socket without the chunked
 * terminator; -1 (default) never. @n equal to the number of chunks: the
 * whole body, then no terminator; 0: close before the response head. */
void                natter_fake_response_set_drop_after      (NatterFakeResponse  *self,
                                                              int                  n);
/* After @n chunks stop sending and never close; -1 (default) never. @n
 * equal to the number of chunks: the whole body, then silence ("stall
 * forever"); 0: not even the response head. */
void                natter_fake_response_set_stall_after     (NatterFakeResponse  *self,
                                                              int                  n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterFakeResponse, natter_fake_response_unref)

typedef void (*NatterFakeRequestFunc) (NatterFakeProvider      *provider,
                                       const NatterFakeRequest *request,
                                       gpointer                 user_data);

NatterFakeProvider      *natter_fake_provider_new                (void);
/* @port 0: any free port. */
NatterFakeProvider      *natter_fake_provider_new_on_port        (guint                  port,
                                                                  GError               **error);
void                     natter_fake_provider_free               (NatterFakeProvider    *self);
/* "http://127.0.0.1:PORT", no trailing slash. */
const char              *natter_fake_provider_get_url            (NatterFakeProvider    *self);
guint                    natter_fake_provider_get_port           (NatterFakeProvider    *self);
/* Serves @response (reference taken over) for @method (NULL: any) and
 * @path (exact, or a prefix when it ends in '*'). Several responses added
 * for the same route are served in order; the last one then repeats. An
 * exact path wins over a prefix; among prefixes the first added wins.
 * Requests matching no route get 404 with a JSON error body. */
void                     natter_fake_provider_add_route          (NatterFakeProvider    *self,
                                                                  const char            *method,
                                                                  const char            *path,
                                                                  NatterFakeResponse    *response);
void                     natter_fake_provider_clear_routes       (NatterFakeProvider    *self);
/* Opens one gate in every response currently waiting at one. */
void                     natter_fake_provider_open_gate          (NatterFakeProvider    *self);
/* Called for every request when it is recorded (before the response). */
void                     natter_fake_provider_set_request_func   (NatterFakeProvider    *self,
                                                                  NatterFakeRequestFunc  func,
                                                                  gpointer               user_data);
guint                    natter_fake_provider_get_n_requests     (NatterFakeProvider    *self);
const NatterFakeRequest *natter_fake_provider_get_request        (NatterFakeProvider    *self,
                                                                  guint                  i);
/* Body chunks written to the socket so far, over all responses. */
guint                    natter_fake_provider_get_n_chunks_sent  (NatterFakeProvider    *self);
/* Responses still being sent (streaming, stalled or waiting at a gate). */
guint                    natter_fake_provider_get_n_active       (NatterFakeProvider    *self);

/* The request as one JSON object text {"method","path","query","headers","body"}. */
char                    *natter_fake_request_to_json             (const NatterFakeRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterFakeProvider, natter_fake_provider_free)

G_END_DECLS
