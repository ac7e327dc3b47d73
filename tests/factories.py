"""factory_boy factories for the project's models, and helpers that give a user a role.

Shared by every test module and by the browser tests' conftest: keep the defaults plain and valid.
The role groups are not made here: the data migrations create them with their permissions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import Group

from campaigns.models import Campaign, Task, TaskAssignment, TaskParty, Workstream
from organizations.models import Unit, User
from organizations.roles import Role

# Every factory-made user has this password, so that a test may also log in through the login form.
PASSWORD = "wushan-test-password"


def role_group(role: Role) -> Group:
    """The role's group, as the data migration created it."""
    return Group.objects.get(name=role.value)


def add_role(user: User, role: Role) -> User:
    """Put the user in the role's group (and forget permissions cached on the instance)."""
    user.groups.add(role_group(role))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_wushan_roles"):
        user.__dict__.pop(cache, None)
    return user


class UnitFactory(factory.django.DjangoModelFactory):
    """A 市场监管所 unless told otherwise."""

    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}号市场监管所")
    short_name = factory.Sequence(lambda n: f"测试{n}所")
    kind = Unit.Kind.OFFICE
    sort_order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    """A user without a unit or role; `UserFactory(unit=..., roles=[Role.OFFICE])` makes an office user."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(PASSWORD)
    unit = None

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for role in extracted:
                add_role(self, role)


class CampaignFactory(factory.django.DjangoModelFactory):
    """The 2025 campaign by default, shared by every task that does not name another (get-or-create by year)."""

    class Meta:
        model = Campaign
        django_get_or_create = ("year",)

    year = 2025
    name = factory.LazyAttribute(lambda o: f"{o.year}年“5·20世界计量日”主题活动")
    theme = "计量顺时代之需，应民生之盼"
    metrology_day = factory.LazyAttribute(lambda o: dt.date(o.year, 5, 20))
    notice_title = "关于进一步加强计量宣传工作深入开展“5·20世界计量日”主题活动的通知"
    notice_issuer = "巫山县市场监督管理局"
    notice_text = "（测试通知）"


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    notice_ref = factory.LazyAttribute(lambda o: f"二（{o.number}）")
    title = factory.Sequence(lambda n: f"专项工作{n}")
    description = "专项工作内容"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    campaign = factory.SubFactory(CampaignFactory)
    workstream = None
    notice_ref = "二（一）"
    title = factory.Sequence(lambda n: f"测试任务{n}")
    description = factory.Sequence(lambda n: f"测试任务{n}的要求")
    due_date = None
    sort_order = factory.Sequence(lambda n: n)


class TaskPartyFactory(factory.django.DjangoModelFactory):
    """A responsible party naming one unit; pass `unit=None, unit_kinds=[...]` for a kind of units."""

    class Meta:
        model = TaskParty

    task = factory.SubFactory(TaskFactory)
    role = TaskParty.Role.RESPONSIBLE
    unit = factory.SubFactory(UnitFactory)
    unit_kinds = factory.LazyFunction(list)
    label = factory.LazyAttribute(lambda o: o.unit.name if o.unit else "各市场监管所")


class TaskAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskAssignment

    task = factory.SubFactory(TaskFactory)
    unit = factory.SubFactory(UnitFactory)
    status = TaskAssignment.Status.PENDING
