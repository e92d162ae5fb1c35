/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bhxh-verdict.h"

#include "bhxh-declaration-object.h"
#include "bhxh-portrait-pair.h"
#include "service/bhxh-counter.h"

G_BEGIN_DECLS

#define BHXH_TYPE_COMPARE_PAGE (bhxh_compare_page_get_type ())
G_DECLARE_FINAL_TYPE (BhxhComparePage, bhxh_compare_page, BHXH, COMPARE_PAGE, GtkWidget)

void                   bhxh_compare_page_set_counter   (BhxhComparePage       *self,
                                                       BhxhCounter           *counter);
/* Shows @object and checks it against @document (nullable, copied). */
void                   bhxh_compare_page_show         (BhxhComparePage       *self,
                                                       BhxhDeclarationObject *object,
                                                       const BhxhDocument    *document);
void                   bhxh_compare_page_set_document (BhxhComparePage       *self,
                                                       const BhxhDocument    *document);
/* Shows a finished check without the service (tests, screenshots). */
void                   bhxh_compare_page_show_check   (BhxhComparePage       *self,
                                                       BhxhDeclarationObject *object,
                                                       const BhxhDocument    *document,
                                                       const BhxhCheck       *check);
BhxhDeclarationObject *bhxh_compare_page_get_object   (BhxhComparePage       *self);
const BhxhDocument    *bhxh_compare_page_get_document (BhxhComparePage       *self);
const BhxhCheck       *bhxh_compare_page_get_check    (BhxhComparePage       *self);
void                   bhxh_compare_page_set_folded   (BhxhComparePage       *self,
                                                       gboolean               folded);
/* The chip's portrait and the declaration's photo, for tests. */
BhxhPortraitPair      *bhxh_compare_page_get_portrait_pair (BhxhComparePage  *self);
/* The text the verdict banner shows, for tests. */
const char            *bhxh_compare_page_get_verdict_text (BhxhComparePage   *self);
/* The line that says what the declaration was compared with (chip verified,
 * QR only, …), for tests. */
const char            *bhxh_compare_page_get_document_hint (BhxhComparePage  *self);

void bhxh_compare_page_set_desk_office (BhxhComparePage *self,
                                        const char      *desk_office);

void bhxh_compare_page_set_escalation (BhxhComparePage *self,
                                       const char      *text);

G_END_DECLS
