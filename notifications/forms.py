from django import forms
from django.utils.translation import gettext_lazy as _


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    unread = forms.BooleanField(label=_("只看未读"), required=False)
