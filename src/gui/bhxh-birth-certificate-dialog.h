/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/bhxh-document.h"

G_BEGIN_DECLS

#define BHXH_TYPE_BIRTH_CERTIFICATE_DIALOG (bhxh_birth_certificate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BhxhBirthCertificateDialog, bhxh_birth_certificate_dialog,
                      BHXH, BIRTH_CERTIFICATE_DIALOG, AdwWindow)

/* @start: a scanned birth certificate to start from, or NULL. Emits
 * "document" (BhxhDocument) when the clerk confirms valid input. */
BhxhBirthCertificateDialog *bhxh_birth_certificate_dialog_new     (GtkWindow          *parent,
                                                                   const BhxhDocument *start);
/* Builds the document from the fields; NULL and @error on bad input. */
BhxhDocument               *bhxh_birth_certificate_dialog_build   (BhxhBirthCertificateDialog *self,
                                                                   GError            **error);

G_END_DECLS
