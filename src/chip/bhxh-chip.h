/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The chip of a CCCD / căn cước card (ICAO 9303 eMRTD, DOMAIN.md §8):
 * PC/SC readers through libpcsclite, access control (PACE where the chip
 * offers it, else Basic Access Control) with secure messaging, the LDS
 * files, passive authentication against a trust directory of CSCA
 * certificates, and the chip's own authentication (chip or active). Non-GUI: the CLI, the GUI and the tests
 * call it alike. Every call blocks; bhxh_chip_read_async() runs a read in a
 * thread. */

#include <gio/gio.h>

#include "core/bhxh-document.h"

G_BEGIN_DECLS

#define BHXH_CHIP_ERROR (bhxh_chip_error_quark ())

/**
 * BhxhChipError:
 * @BHXH_CHIP_ERROR_NO_SERVICE: the PC/SC service (pcscd) cannot be reached
 * @BHXH_CHIP_ERROR_NO_READER: no card reader is connected, or not the one named
 * @BHXH_CHIP_ERROR_NO_CARD: no card lies on the reader
 * @BHXH_CHIP_ERROR_CARD_REMOVED: the card was taken away during the read
 * @BHXH_CHIP_ERROR_ACCESS_DENIED: no access key opened the chip (wrong BAC or PACE key)
 * @BHXH_CHIP_ERROR_BAD_KEY: the access key given is malformed
 * @BHXH_CHIP_ERROR_PROTOCOL: the card answered something unexpected
 * @BHXH_CHIP_ERROR_FORMAT: a file on the chip is malformed
 *
 * Errors of the chip layer; messages are translated, fit for the clerk. A
 * cancelled read fails with %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  BHXH_CHIP_ERROR_NO_SERVICE,
  BHXH_CHIP_ERROR_NO_READER,
  BHXH_CHIP_ERROR_NO_CARD,
  BHXH_CHIP_ERROR_CARD_REMOVED,
  BHXH_CHIP_ERROR_ACCESS_DENIED,
  BHXH_CHIP_ERROR_BAD_KEY,
  BHXH_CHIP_ERROR_PROTOCOL,
  BHXH_CHIP_ERROR_FORMAT,
} BhxhChipError;

GQuark bhxh_chip_error_quark (void);

/* The MRZ information BAC and PACE derive their keys from: the document number (for
 * a CCCD the last 9 digits of the ID number), birth and expiry as YYMMDD. */
typedef struct
{
  char document_number[10];
  char birth[7];
  char expiry[7];
} BhxhChipKey;

gboolean  bhxh_chip_key_parse      (const char          *text,
                                    BhxhChipKey         *out,
                                    GError             **error);
GArray   *bhxh_chip_keys_from_document (const BhxhDocument *qr,
                                        GError            **error);

/**
 * BhxhChipReadFlags:
 * @BHXH_CHIP_READ_PORTRAIT: read DG2 too (the face image; slow)
 */
typedef enum
{
  BHXH_CHIP_READ_DEFAULT  = 0,
  BHXH_CHIP_READ_PORTRAIT = 1 << 0,
} BhxhChipReadFlags;

/**
 * BhxhChipStep:
 * @BHXH_CHIP_STEP_OPENING: the card is there; access control (BAC)
 * @BHXH_CHIP_STEP_PERSONAL: EF.COM, DG1 and DG13, the person's data
 * @BHXH_CHIP_STEP_PORTRAIT: DG2, the face (only when asked)
 * @BHXH_CHIP_STEP_SIGNATURE: EF.SOD, active and passive authentication
 */
typedef enum
{
  BHXH_CHIP_STEP_OPENING,
  BHXH_CHIP_STEP_PERSONAL,
  BHXH_CHIP_STEP_PORTRAIT,
  BHXH_CHIP_STEP_SIGNATURE,
} BhxhChipStep;

/* Where a read is: its step and the fraction done of the whole read (0 to
 * 1, never going back; within a file, from its bytes read of the size its
 * first READ BINARY gave). Called from the reading thread: a GUI hands it
 * to its main loop. */
typedef void (*BhxhChipProgressFunc) (BhxhChipStep step,
                                      double       fraction,
                                      gpointer     user_data);

typedef struct
{
  char              *reader;     /* NULL: the first reader holding a card */
  GArray            *keys;       /* (element-type BhxhChipKey) tried in order */
  char              *csca_dir;   /* NULL: passive authentication not checked */
  GDateTime         *now;        /* the instant certificates are checked at */
  BhxhChipReadFlags  flags;
  guint              wait_ms;    /* how long to wait for a card; 0: not at all */
  BhxhChipProgressFunc progress; /* (nullable) */
  gpointer           progress_data;
} BhxhChipReadOptions;

typedef struct
{
  BhxhDocument *document;       /* kind CCCD_CHIP, DG13's fields and the authentication */
  char         *reader;         /* the reader the card lay on */
  char         *mrz;            /* DG1, the lines joined by '\n' */
  GBytes       *portrait;       /* DG2's image, or NULL */
  const char   *portrait_type;  /* "image/jp2" or "image/jpeg" */
  gint64        read_usec;      /* from connecting to the last byte read */
} BhxhChipResult;

char          **bhxh_chip_list_readers (GError              **error);
void            bhxh_chip_list_readers_async  (GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char          **bhxh_chip_list_readers_finish (GAsyncResult        *result,
                                               GError             **error);
BhxhChipResult *bhxh_chip_read         (const BhxhChipReadOptions *options,
                                        GCancellable         *cancellable,
                                        GError              **error);
void            bhxh_chip_read_async   (const BhxhChipReadOptions *options,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
BhxhChipResult *bhxh_chip_read_finish  (GAsyncResult         *result,
                                        GError              **error);
void            bhxh_chip_read_options_clear (BhxhChipReadOptions *options);

gboolean        bhxh_chip_document_verify (BhxhDocument        *document,
                                           const char          *csca_dir,
                                           GDateTime           *now,
                                           GError             **error);
char           *bhxh_chip_default_trust_dir (void);
void            bhxh_chip_result_free  (BhxhChipResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhChipResult, bhxh_chip_result_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhxhChipReadOptions, bhxh_chip_read_options_clear)

G_END_DECLS
