#!/usr/bin/env python3
"""Checks the shipped configuration of the case management module: every form in config/forms and every service type
in config/service-types.

It applies the rules of the C++ readers (src/forms/form_definition.cpp, src/cases/service_type.cpp) and a few more
that the readers do not enforce but that keep the configuration sound:

- unknown keys are refused (a misspelt "requried" would otherwise be ignored silently);
- a condition's operand must fit the field it tests (an option of a choice field, true/false for a boolean, a band
  value for a computed level);
- a sum adds only fields that score (choice, multi-choice, boolean, integer, decimal);
- labels: both languages present, the Chinese one in Traditional characters, the English one without Chinese;
- a form has 8 to 25 questions; a service type names forms that exist, a risk level that is a computed "level" of
  its tool, alert levels that are values of that level, waiting-list rules on fields of the application form, unit
  codes of the demo data, a reference prefix not used by another type;
- files are UTF-8 JSON written with 2-space indentation and without \\u escapes (`--fix` rewrites them so).

Usage: python3 config/check.py [--fix]. Exit status 0 when everything passes, 1 otherwise.
"""
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMS_DIR = os.path.join(HERE, "forms")
TYPES_DIR = os.path.join(HERE, "service-types")

UNITS = {"SWD", "SWD-EW", "SWD-KC", "IFSC-EAST", "IFSC-KC", "HUALIEN", "HUALIEN-CITY", "JIAN", "NGO-CARE",
         "NGO-CARE-NEC"}
FIELD_TYPES = {"text", "textarea", "integer", "decimal", "date", "boolean", "choice", "multi_choice"}
SCORING_TYPES = {"choice", "multi_choice", "boolean", "integer", "decimal"}
FIELD_OPS = ("equals", "not_equals", "in", "not_in", "answered", "at_least")
MIN_FIELDS, MAX_FIELDS = 8, 25

FORM_KEYS = {"code", "version", "title", "sections", "computed"}
SECTION_KEYS = {"id", "title", "visible_if", "fields"}
FIELD_KEYS = {"id", "type", "label", "help", "required", "required_if", "visible_if", "min", "max", "max_length",
              "not_in_future", "score_if_true", "options"}
OPTION_KEYS = {"value", "label", "score"}
SUM_KEYS = {"id", "kind", "label", "fields"}
LEVEL_KEYS = {"id", "kind", "label", "source", "bands", "overrides"}
BAND_KEYS = {"from", "value", "label"}
OVERRIDE_KEYS = {"when", "value"}
TYPE_KEYS = {"code", "version", "name", "reference_prefix", "intake_form", "assessment_tools", "risk", "plan_domains",
             "interventions", "closure_reasons", "review_interval_days", "caseload_weight", "response_days",
             "waitlist", "units"}
RISK_KEYS = {"tool", "level", "alert_levels"}
WAITLIST_KEYS = {"application_form", "offer_days", "priority"}
PRIORITY_KEYS = {"when", "points", "label"}
RESPONSE_KEYS = {"urgent", "high", "normal"}

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
PREFIX = re.compile(r"^[A-Z]{1,6}$")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Characters found only in Simplified Chinese, common in welfare wording; their presence means a label is not zh-Hant.
SIMPLIFIED = set("这个们来时说为会对发与务经济关护儿险评级员单医疗动间问题请认识联络条视访长险众门东车"
                 "书农业丛严丧两乐习乡买亲亿仅从价优传伤众园图团报场处备复头夺妇学实对导将尽层岁带帮"
                 "师应开张归当录态总恶爱战户择护担拥挂换据构标样欢气决况净减划则刚创势劳勋区协单卖卫"
                 "历压厅县参双变叶号叹吗听启员围国图圆圣场坏块坚执扩扫扬扰抚抢担拟择挤损换据无旧时"
                 "显晓术机杀杂权条来杨极标样档检楼欢殴毁气汉没沟泪泽洁浅测济浏满滚灭灵灾烦烧热爷独狱"
                 "环现电画畅疗疮监盖码础确离种积称穷窃竞笔简类粮紧纠红约级纪纳纸线练组细织终经结给络"
                 "绝统继续维综缓编缘网罗罚职聪肤胁脑艺节药获营虑虚补装见观规视览觉触计订认讨让训议讯"
                 "记讲许论设访证评识诉诊词译试诗询详语误说请诸读课谁调谈谊谋谢谨谱负贡财责贤败货质购贯"
                 "费贴贸贷资赋赔赖赛赶车转轮软轻较载辅辆辑输辞边达迁过运还这进远违连迟适选递逻遗邮邻郑"
                 "酝释针钟钢钱铁银铺链销锁锅错键长门问闲间闹闻阀阅队阶际陆陈险随隐难雾须顾顺预领频题"
                 "额风飞饭饮饰饱馆驱驾验骗骤鸡麦齐齿龄龙")

errors = []
warnings = []


def error(where, message):
    errors.append(f"{where}: {message}")


def warn(where, message):
    warnings.append(f"{where}: {message}")


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_whole(value):
    return is_number(value) and float(value).is_integer()


def check_keys(obj, allowed, where):
    for key in obj:
        if key not in allowed:
            error(where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")


def check_identifier(value, where):
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        error(where, f"{value!r} is not an identifier (a-z, 0-9, _, starting with a letter, at most 64)")
        return False
    return True


def check_label(value, where):
    if not isinstance(value, dict):
        error(where, "a label must be {\"zh\": ..., \"en\": ...}")
        return
    check_keys(value, {"zh", "en"}, where)
    for language in ("zh", "en"):
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            error(f"{where}.{language}", "required, non-empty text")
        elif text != text.strip():
            error(f"{where}.{language}", "leading or trailing spaces")
    zh, en = value.get("zh"), value.get("en")
    if isinstance(zh, str) and zh.strip():
        if not HAN.search(zh):
            error(f"{where}.zh", f"{zh!r} has no Chinese characters")
        simplified = sorted({ch for ch in zh if ch in SIMPLIFIED})
        if simplified:
            error(f"{where}.zh", f"{zh!r} has Simplified characters: {''.join(simplified)}")
    if isinstance(en, str) and en.strip() and HAN.search(en):
        error(f"{where}.en", f"{en!r} has Chinese characters")


def check_choices(values, where):
    """A list of {value, label} (service type choices)."""
    if not isinstance(values, list) or not values:
        error(where, "required, a non-empty list of {value, label}")
        return []
    seen = []
    for index, entry in enumerate(values):
        path = f"{where}.{index}"
        if not isinstance(entry, dict):
            error(path, "must be an object")
            continue
        check_keys(entry, {"value", "label"}, path)
        if check_identifier(entry.get("value"), f"{path}.value"):
            if entry["value"] in seen:
                error(f"{path}.value", f"'{entry['value']}' appears twice")
            seen.append(entry["value"])
        check_label(entry.get("label"), f"{path}.label")
    return seen


# Forms -------------------------------------------------------------------------------------------------------------

class FormIndex:
    """What conditions may refer to in one form: fields (with their definition) and computed values."""

    def __init__(self, form):
        self.fields = {}
        self.computed = {}
        for section in form.get("sections") or []:
            if isinstance(section, dict):
                for field in section.get("fields") or []:
                    if isinstance(field, dict) and isinstance(field.get("id"), str):
                        self.fields.setdefault(field["id"], field)
        for entry in form.get("computed") or []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                self.computed.setdefault(entry["id"], entry)

    def option_values(self, field):
        return {o.get("value") for o in field.get("options") or [] if isinstance(o, dict)}


def check_operand(index, name, op, operand, where):
    """The operand of a field condition must make sense for what it tests."""
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not operand:
            error(where, f"'{op}' takes a non-empty list")
            return
        values = operand
    elif op == "at_least":
        if not is_number(operand):
            error(where, "'at_least' takes a number")
        target = index.fields.get(name)
        if target is not None and target.get("type") not in ("integer", "decimal", "multi_choice"):
            error(where, f"'at_least' on '{name}' of type {target.get('type')}")
        if target is None and index.computed.get(name, {}).get("kind") != "sum":
            if name in index.computed:
                error(where, f"'at_least' on the computed level '{name}'")
        return
    elif op == "answered":
        if not isinstance(operand, bool):
            error(where, "'answered' takes true or false")
        return
    else:
        values = [operand]
    field = index.fields.get(name)
    if field is not None:
        kind = field.get("type")
        for value in values:
            if kind in ("choice", "multi_choice"):
                if value not in index.option_values(field):
                    error(where, f"{value!r} is not an option of '{name}'")
            elif kind == "boolean":
                if not isinstance(value, bool):
                    error(where, f"'{name}' is a boolean; compare with true or false, not {value!r}")
            elif kind in ("integer", "decimal"):
                if not is_number(value):
                    error(where, f"'{name}' is a number; {value!r} is not")
            elif not isinstance(value, str):
                error(where, f"'{name}' holds text; {value!r} is not")
        return
    computed = index.computed.get(name)
    if computed is not None:
        if computed.get("kind") == "level":
            bands = {b.get("value") for b in computed.get("bands") or [] if isinstance(b, dict)}
            for value in values:
                if value not in bands:
                    error(where, f"{value!r} is not a band of the level '{name}'")
        elif any(not is_number(v) for v in values):
            error(where, f"the sum '{name}' is a number")


def check_condition(condition, index, where, depth=0):
    if depth > 10:
        error(where, "conditions nested too deeply")
        return
    if not isinstance(condition, dict):
        error(where, "a condition must be an object")
        return
    for combiner in ("all", "any"):
        if combiner in condition:
            check_keys(condition, {combiner}, where)
            parts = condition[combiner]
            if not isinstance(parts, list) or not parts:
                error(f"{where}.{combiner}", "takes a non-empty list of conditions")
                return
            for number, part in enumerate(parts):
                check_condition(part, index, f"{where}.{combiner}.{number}", depth + 1)
            return
    name = condition.get("field")
    if not isinstance(name, str):
        error(f"{where}.field", "required")
        return
    ops = [op for op in FIELD_OPS if op in condition]
    if len(ops) != 1:
        error(where, f"exactly one of {', '.join(FIELD_OPS)} is needed (found {ops or 'none'})")
        return
    check_keys(condition, {"field", ops[0]}, where)
    if name not in index.fields and name not in index.computed:
        error(f"{where}.field", f"'{name}' is not a field or computed value of this form")
        return
    check_operand(index, name, ops[0], condition[ops[0]], f"{where}.{ops[0]}")


def check_field(field, index, where):
    if not isinstance(field, dict):
        error(where, "a field must be an object")
        return
    check_keys(field, FIELD_KEYS, where)
    check_identifier(field.get("id"), f"{where}.id")
    check_label(field.get("label"), f"{where}.label")
    if "help" in field:
        check_label(field["help"], f"{where}.help")
    kind = field.get("type")
    if kind not in FIELD_TYPES:
        error(f"{where}.type", f"{kind!r} is not one of {', '.join(sorted(FIELD_TYPES))}")
    for flag in ("required", "not_in_future"):
        if flag in field and not isinstance(field[flag], bool):
            error(f"{where}.{flag}", "true or false")
    for rule in ("required_if", "visible_if"):
        if rule in field:
            check_condition(field[rule], index, f"{where}.{rule}")
    if field.get("required") is True and "required_if" in field:
        error(where, "both 'required' and 'required_if'")
    for bound in ("min", "max"):
        if bound in field:
            if not is_number(field[bound]):
                error(f"{where}.{bound}", "a number")
            elif kind not in ("integer", "decimal", "multi_choice"):
                error(f"{where}.{bound}", f"does not apply to a {kind} field")
    if is_number(field.get("min")) and is_number(field.get("max")) and field["min"] > field["max"]:
        error(f"{where}.max", "smaller than min")
    if "max_length" in field:
        if not is_whole(field["max_length"]) or not 1 <= field["max_length"] <= 100000:
            error(f"{where}.max_length", "a whole number from 1 to 100000")
        if kind not in ("text", "textarea"):
            error(f"{where}.max_length", f"does not apply to a {kind} field")
    if field.get("not_in_future") and kind != "date":
        error(f"{where}.not_in_future", f"does not apply to a {kind} field")
    if "score_if_true" in field:
        if not is_number(field["score_if_true"]):
            error(f"{where}.score_if_true", "a number")
        if kind != "boolean":
            error(f"{where}.score_if_true", f"does not apply to a {kind} field")
    options = field.get("options")
    if kind in ("choice", "multi_choice"):
        if not isinstance(options, list) or not options:
            error(f"{where}.options", "required for a choice field")
            return
        seen = set()
        for number, option in enumerate(options):
            path = f"{where}.options.{number}"
            if not isinstance(option, dict):
                error(path, "an option must be an object")
                continue
            check_keys(option, OPTION_KEYS, path)
            if check_identifier(option.get("value"), f"{path}.value"):
                if option["value"] in seen:
                    error(f"{path}.value", f"'{option['value']}' appears twice")
                seen.add(option["value"])
            check_label(option.get("label"), f"{path}.label")
            if "score" in option and not is_number(option["score"]):
                error(f"{path}.score", "a number")
        if kind == "multi_choice":
            for bound in ("min", "max"):
                if is_number(field.get(bound)) and not 0 <= field[bound] <= len(options):
                    error(f"{where}.{bound}", f"a count of choices, 0 to {len(options)}")
        elif kind == "choice" and len(options) < 2:
            error(f"{where}.options", "a choice field needs at least two options")
    elif options is not None:
        error(f"{where}.options", f"does not apply to a {kind} field")


def check_computed(entry, index, where):
    if not isinstance(entry, dict):
        error(where, "must be an object")
        return
    check_identifier(entry.get("id"), f"{where}.id")
    check_label(entry.get("label"), f"{where}.label")
    kind = entry.get("kind")
    if kind == "sum":
        check_keys(entry, SUM_KEYS, where)
        names = entry.get("fields")
        if not isinstance(names, list) or not names:
            error(f"{where}.fields", "required, the fields to add up")
            return
        seen = set()
        for number, name in enumerate(names):
            path = f"{where}.fields.{number}"
            field = index.fields.get(name) if isinstance(name, str) else None
            if field is None:
                error(path, f"{name!r} is not a field of this form")
                continue
            if name in seen:
                error(path, f"'{name}' is added twice")
            seen.add(name)
            if field.get("type") not in SCORING_TYPES:
                error(path, f"'{name}' is a {field.get('type')} field and adds nothing")
            elif field.get("type") == "boolean" and not field.get("score_if_true"):
                error(path, f"'{name}' has no score_if_true and adds nothing")
            elif field.get("type") in ("choice", "multi_choice") and not any(
                    is_number(o.get("score")) and o.get("score") != 0 for o in field.get("options") or []
                    if isinstance(o, dict)):
                error(path, f"'{name}' has no scored option and adds nothing")
        for name, field in index.fields.items():
            scored = field.get("score_if_true") or any(
                isinstance(o, dict) and o.get("score") for o in field.get("options") or [])
            if scored and name not in seen and len([c for c in index.computed.values()
                                                    if c.get("kind") == "sum"]) == 1:
                warn(where, f"'{name}' has scores but is not in the sum")
    elif kind == "level":
        check_keys(entry, LEVEL_KEYS, where)
        source = index.computed.get(entry.get("source"))
        if source is None or source.get("kind") != "sum":
            error(f"{where}.source", f"{entry.get('source')!r} is not a sum of this form")
        bands = entry.get("bands")
        values = []
        if not isinstance(bands, list) or not bands:
            error(f"{where}.bands", "required, ascending bands")
        else:
            previous = None
            for number, band in enumerate(bands):
                path = f"{where}.bands.{number}"
                if not isinstance(band, dict):
                    error(path, "must be an object")
                    continue
                check_keys(band, BAND_KEYS, path)
                start = band.get("from")
                if not is_number(start):
                    error(f"{path}.from", "a number")
                elif previous is not None and start <= previous:
                    error(f"{path}.from", f"{start} does not rise above {previous}")
                else:
                    previous = start
                if check_identifier(band.get("value"), f"{path}.value"):
                    if band["value"] in values:
                        error(f"{path}.value", f"'{band['value']}' appears twice")
                    values.append(band["value"])
                check_label(band.get("label"), f"{path}.label")
        overrides = entry.get("overrides", [])
        if not isinstance(overrides, list):
            error(f"{where}.overrides", "a list")
            overrides = []
        for number, override in enumerate(overrides):
            path = f"{where}.overrides.{number}"
            if not isinstance(override, dict):
                error(path, "must be an object")
                continue
            check_keys(override, OVERRIDE_KEYS, path)
            if "when" not in override:
                error(f"{path}.when", "required")
            else:
                check_condition(override["when"], index, f"{path}.when")
            if override.get("value") not in values:
                error(f"{path}.value", f"{override.get('value')!r} is not a band value ({', '.join(values)})")
            elif override["value"] == values[0]:
                error(f"{path}.value", "raising to the lowest band does nothing")
    else:
        error(f"{where}.kind", f"{kind!r} is not sum or level")


def check_form(code, form):
    where = f"forms/{code}.json"
    if not isinstance(form, dict):
        error(where, "a form must be an object")
        return
    check_keys(form, FORM_KEYS, where)
    if form.get("code") != code:
        error(f"{where}: code", f"{form.get('code')!r} differs from the file name")
    check_identifier(code, f"{where}: code")
    if form.get("version") != 1 or isinstance(form.get("version"), bool):
        error(f"{where}: version", "shipped forms are version 1")
    check_label(form.get("title"), f"{where}: title")
    index = FormIndex(form)
    ids = {}
    sections = form.get("sections")
    if not isinstance(sections, list) or not sections:
        error(f"{where}: sections", "required, a non-empty list")
        sections = []
    section_ids = set()
    count = 0
    for number, section in enumerate(sections):
        path = f"{where}: sections.{number}"
        if not isinstance(section, dict):
            error(path, "must be an object")
            continue
        check_keys(section, SECTION_KEYS, path)
        if check_identifier(section.get("id"), f"{path}.id"):
            if section["id"] in section_ids:
                error(f"{path}.id", f"section '{section['id']}' appears twice")
            section_ids.add(section["id"])
        check_label(section.get("title"), f"{path}.title")
        if "visible_if" in section:
            check_condition(section["visible_if"], index, f"{path}.visible_if")
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            error(f"{path}.fields", "required, a non-empty list")
            continue
        for field_number, field in enumerate(fields):
            field_path = f"{path}.fields.{field_number}"
            check_field(field, index, field_path)
            count += 1
            name = field.get("id") if isinstance(field, dict) else None
            if isinstance(name, str):
                if name in ids:
                    error(f"{field_path}.id", f"'{name}' is already used at {ids[name]}")
                ids.setdefault(name, field_path)
    if not MIN_FIELDS <= count <= MAX_FIELDS:
        error(where, f"{count} questions; keep a form to {MIN_FIELDS}-{MAX_FIELDS}")
    computed = form.get("computed", [])
    if not isinstance(computed, list):
        error(f"{where}: computed", "a list")
        computed = []
    for number, entry in enumerate(computed):
        path = f"{where}: computed.{number}"
        check_computed(entry, index, path)
        name = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(name, str):
            if name in ids:
                error(f"{path}.id", f"'{name}' is already used at {ids[name]}")
            ids.setdefault(name, path)


# Service types -----------------------------------------------------------------------------------------------------

def check_service_type(code, kind, forms, prefixes):
    where = f"service-types/{code}.json"
    if not isinstance(kind, dict):
        error(where, "a service type must be an object")
        return set()
    check_keys(kind, TYPE_KEYS, where)
    if kind.get("code") != code:
        error(f"{where}: code", f"{kind.get('code')!r} differs from the file name")
    check_identifier(code, f"{where}: code")
    if kind.get("version") != 1 or isinstance(kind.get("version"), bool):
        error(f"{where}: version", "shipped service types are version 1")
    check_label(kind.get("name"), f"{where}: name")
    prefix = kind.get("reference_prefix")
    if not isinstance(prefix, str) or not PREFIX.match(prefix):
        error(f"{where}: reference_prefix", f"{prefix!r} is not 1-6 capital letters")
    elif prefix in prefixes:
        error(f"{where}: reference_prefix", f"'{prefix}' is also used by {prefixes[prefix]}")
    else:
        prefixes[prefix] = code
    used = set()

    def form_ref(name, path):
        if not isinstance(name, str) or name not in forms:
            error(f"{where}: {path}", f"{name!r} is not a form in config/forms")
            return None
        used.add(name)
        return forms[name]

    form_ref(kind.get("intake_form"), "intake_form")
    tools = kind.get("assessment_tools", [])
    if not isinstance(tools, list):
        error(f"{where}: assessment_tools", "a list of form codes")
        tools = []
    if len(set(map(str, tools))) != len(tools):
        error(f"{where}: assessment_tools", "a tool is named twice")
    for number, tool in enumerate(tools):
        form_ref(tool, f"assessment_tools.{number}")
    risk = kind.get("risk")
    if risk is not None:
        path = f"{where}: risk"
        if not isinstance(risk, dict):
            error(path, "an object {tool, level, alert_levels}")
        else:
            check_keys(risk, RISK_KEYS, path)
            tool = risk.get("tool")
            if tool not in tools:
                error(f"{path}.tool", f"{tool!r} is not one of the assessment tools")
            form = forms.get(tool) if isinstance(tool, str) else None
            level = None
            if form is not None:
                level = next((c for c in form.get("computed") or []
                              if isinstance(c, dict) and c.get("id") == risk.get("level")), None)
                if level is None or level.get("kind") != "level":
                    error(f"{path}.level", f"{risk.get('level')!r} is not a computed level of '{tool}'")
                    level = None
            alerts = risk.get("alert_levels", [])
            if not isinstance(alerts, list):
                error(f"{path}.alert_levels", "a list of level values")
            elif level is not None:
                bands = [b.get("value") for b in level.get("bands") or [] if isinstance(b, dict)]
                for number, value in enumerate(alerts):
                    if value not in bands:
                        error(f"{path}.alert_levels.{number}", f"{value!r} is not a value of the level ({', '.join(bands)})")
    for member in ("plan_domains", "interventions", "closure_reasons"):
        check_choices(kind.get(member), f"{where}: {member}")
    review = kind.get("review_interval_days")
    if not is_whole(review) or not 7 <= review <= 730:
        error(f"{where}: review_interval_days", "a whole number of days from 7 to 730")
    weight = kind.get("caseload_weight", 1)
    if not is_number(weight) or not 0 < weight <= 20:
        error(f"{where}: caseload_weight", "a number above 0, at most 20")
    days = kind.get("response_days")
    if not isinstance(days, dict):
        error(f"{where}: response_days", "required, {urgent, high, normal}")
    else:
        check_keys(days, RESPONSE_KEYS, f"{where}: response_days")
        for key in RESPONSE_KEYS:
            if not is_whole(days.get(key)) or not 0 <= days[key] <= 90:
                error(f"{where}: response_days.{key}", "a whole number of days from 0 to 90")
        if all(is_whole(days.get(k)) for k in RESPONSE_KEYS) and not days["urgent"] <= days["high"] <= days["normal"]:
            error(f"{where}: response_days", "urgent <= high <= normal")
    waitlist = kind.get("waitlist")
    if waitlist is not None:
        path = f"{where}: waitlist"
        if not isinstance(waitlist, dict):
            error(path, "an object {application_form, offer_days, priority}")
        else:
            check_keys(waitlist, WAITLIST_KEYS, path)
            application = form_ref(waitlist.get("application_form"), "waitlist.application_form")
            offer = waitlist.get("offer_days", 14)
            if not is_whole(offer) or not 1 <= offer <= 90:
                error(f"{path}.offer_days", "a whole number of days from 1 to 90")
            priority = waitlist.get("priority", [])
            if not isinstance(priority, list) or not priority:
                error(f"{path}.priority", "a non-empty list of rules")
                priority = []
            index = FormIndex(application) if application is not None else None
            for number, rule in enumerate(priority):
                rule_path = f"{path}.priority.{number}"
                if not isinstance(rule, dict):
                    error(rule_path, "must be an object")
                    continue
                check_keys(rule, PRIORITY_KEYS, rule_path)
                if "when" not in rule:
                    error(f"{rule_path}.when", "required")
                elif index is not None:
                    check_condition(rule["when"], index, f"{rule_path}.when")
                points = rule.get("points")
                if not isinstance(points, int) or isinstance(points, bool) or not -1000 <= points <= 1000:
                    error(f"{rule_path}.points", "a whole number from -1000 to 1000 (written without a decimal point)")
                check_label(rule.get("label"), f"{rule_path}.label")
    units = kind.get("units")
    if not isinstance(units, list) or not units:
        error(f"{where}: units", "required, the units providing the service")
    else:
        if len(set(map(str, units))) != len(units):
            error(f"{where}: units", "a unit is named twice")
        for number, unit in enumerate(units):
            if unit not in UNITS:
                error(f"{where}: units.{number}", f"{unit!r} is not a unit code ({', '.join(sorted(UNITS))})")
    return used


# Files -------------------------------------------------------------------------------------------------------------

def load(directory, fix):
    loaded = {}
    if not os.path.isdir(directory):
        error(os.path.relpath(directory, HERE), "missing folder")
        return loaded
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        where = os.path.relpath(path, HERE)
        if not name.endswith(".json"):
            error(where, "only .json files belong here")
            continue
        try:
            with open(path, encoding="utf-8") as source:
                text = source.read()
            data = json.loads(text)
        except (UnicodeDecodeError, ValueError) as problem:
            error(where, f"not UTF-8 JSON: {problem}")
            continue
        canonical = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if text != canonical:
            if fix:
                with open(path, "w", encoding="utf-8") as out:
                    out.write(canonical)
                print(f"rewrote {where}")
            else:
                error(where, "not in the house format (2-space indentation, UTF-8 without \\u escapes); "
                             "run with --fix")
        loaded[name[:-len(".json")]] = data
    return loaded


def main():
    fix = "--fix" in sys.argv[1:]
    forms = load(FORMS_DIR, fix)
    types = load(TYPES_DIR, fix)
    for code, form in forms.items():
        check_form(code, form)
    used = set()
    prefixes = {}
    for code, kind in types.items():
        used |= check_service_type(code, kind, forms, prefixes)
    for code in sorted(set(forms) - used):
        warn(f"forms/{code}.json", "no service type uses this form")
    if not types:
        error("service-types", "no service type")
    for line in warnings:
        print(f"warning: {line}")
    for line in errors:
        print(f"error: {line}")
    print(f"{len(forms)} forms, {len(types)} service types: "
          f"{'OK' if not errors else f'{len(errors)} errors'}, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
