"""The OpenAPI schema's error answers: every operation documents what core.api_errors makes of a
service's refusal (400 with field errors, 401, 403, 404; 409 where a record's state can refuse a
write), with examples, so that a client (and schemathesis) finds every response it can get."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

DETAIL = {"type": "string", "description": "说明（中文）"}

VALIDATION_ERROR = {
    "type": "object",
    "description": "按字段列出的错误；不属于某个字段的错误在 detail 中。嵌套行（如检查器具）的错误按行列出。",
    "properties": {"detail": {"anyOf": [DETAIL, {"type": "array", "items": DETAIL}]}},
    "additionalProperties": {},
}
ERROR = {"type": "object", "properties": {"detail": DETAIL}, "required": ["detail"]}

# (status, component, description, example)
ANSWERS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "400",
        "ValidationError",
        "输入有误，未保存任何内容。",
        {"date": ["检查日期须在活动期间（2025-04-20 至 2025-06-30）内。"], "detail": ["请至少填写一项。"]},
    ),
    ("401", "Error", "未登录或令牌无效（响应带 WWW-Authenticate 头）。", {"detail": "身份认证信息未提供。"}),
    (
        "403",
        "Error",
        "已登录，但所在角色不允许此操作（如领导只读）。",
        {"detail": "您没有修改该记录的权限。"},
    ),
    ("404", "Error", "不存在，或不在本单位范围内。", {"detail": "未找到。"}),
]
CONFLICT = (
    "409",
    "Error",
    "记录当前状态不允许此操作（如已审核通过、已锁定）。",
    {"detail": "该记录已审核通过，不能再修改。"},
)
COMPONENTS = {"ValidationError": VALIDATION_ERROR, "Error": ERROR}


class ErrorAnsweringAutoSchema(AutoSchema):
    """AutoSchema plus the error answers. A view whose writes a record's state can refuse sets
    `conflict_on_write = True` (the record kit's viewset does) and its unsafe operations list 409;
    `conflict_actions` names other actions that can answer 409 (a download of an unfinished report)."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        answers = list(ANSWERS)
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        if (unsafe and getattr(self.view, "conflict_on_write", False)) or getattr(
            self.view, "action", None
        ) in getattr(self.view, "conflict_actions", ()):
            answers.append(CONFLICT)
        for code, component, description, example in answers:
            if code in responses:
                continue
            self.registry.register_on_missing(
                ResolvedComponent(
                    name=component,
                    type=ResolvedComponent.SCHEMA,
                    object=component,
                    schema=COMPONENTS[component],
                )
            )
            responses[code] = {
                "description": description,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{component}"},
                        "examples": {component: {"value": example}},
                    }
                },
            }
        return responses
