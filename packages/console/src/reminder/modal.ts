/**
 * The 医保智能审核提醒 modal, in plain DOM inside a shadow root so the HIS page's styles neither
 * leak in nor get disturbed. One row per finding with 返回修改 / 继续执行 (a reason is required
 * for 继续执行); 提交 is enabled once every finding has a valid choice.
 */
import type { ReminderItem } from './findings.js';

/** The doctor's choice for one finding (national dspo_way: 1 继续执行, 2 返回修改). */
export interface Disposition {
  id: string;
  choice: '继续执行' | '返回修改';
  reason: string;
}

const CSS = `
.mask{position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:2147483000;display:flex;align-items:center;justify-content:center;font:14px/1.5 "Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#303133}
.box{background:#fff;width:min(860px,94vw);max-height:88vh;display:flex;flex-direction:column;border-radius:6px;box-shadow:0 8px 30px rgba(0,0,0,.3)}
.head{padding:12px 18px;border-bottom:1px solid #e4e7ed;display:flex;align-items:center;gap:10px}
.head h2{margin:0;font-size:17px;color:#c45656}
.head .count{color:#909399;font-size:13px}
.list{overflow:auto;padding:8px 18px;flex:1}
.item{border:1px solid #ebeef5;border-left:4px solid #e6a23c;border-radius:4px;padding:8px 12px;margin:8px 0}
.item.sev1{border-left-color:#f56c6c}.item.sev3{border-left-color:#909399}
.row{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.tag{font-size:12px;padding:0 6px;border-radius:3px;background:#fdf6ec;color:#e6a23c;border:1px solid #f5dab1}
.sev1 .tag{background:#fef0f0;color:#f56c6c;border-color:#fbc4c4}.sev3 .tag{background:#f4f4f5;color:#909399;border-color:#d3d4d6}
.name{font-weight:600}.amt{margin-left:auto;color:#909399}
.msg{margin:4px 0}.meta{color:#606266;font-size:13px}.meta b{font-weight:500;color:#303133}
.choices{display:flex;gap:14px;align-items:center;margin-top:6px}
.choices label{cursor:pointer}
.reason{flex:1;min-width:200px;padding:4px 8px;border:1px solid #dcdfe6;border-radius:3px;font:inherit}
.reason.bad{border-color:#f56c6c}
.foot{padding:10px 18px;border-top:1px solid #e4e7ed;display:flex;gap:10px;justify-content:flex-end;align-items:center}
.foot .hint{margin-right:auto;color:#909399;font-size:13px}
button{font:inherit;padding:6px 16px;border-radius:4px;border:1px solid #dcdfe6;background:#fff;cursor:pointer}
button.primary{background:#409eff;border-color:#409eff;color:#fff}
button:disabled{opacity:.5;cursor:not-allowed}
`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Shows the modal and resolves with one disposition per item when the doctor submits. */
export function showReminderModal(items: readonly ReminderItem[], doc: Document = document): Promise<Disposition[]> {
  return new Promise((resolve) => {
    const host = doc.createElement('div');
    host.setAttribute('data-preaudit-reminder', '');
    const root = host.attachShadow({ mode: 'open' });
    const style = el('style');
    style.textContent = CSS;
    const mask = el('div', { class: 'mask' });
    const box = el('div', { class: 'box', role: 'dialog', 'aria-modal': 'true', 'aria-label': '医保智能审核提醒' });
    const head = el('div', { class: 'head' });
    head.append(el('h2', {}, '医保智能审核提醒'), el('span', { class: 'count' }, `共 ${items.length} 条疑点，请逐条处理`));
    const list = el('div', { class: 'list' });
    const choices = new Map<string, Disposition>();
    const submit = el('button', { class: 'primary', 'data-action': 'submit', disabled: '' }, '提交');
    const hint = el('span', { class: 'hint' }, '');

    const refresh = () => {
      let ok = true;
      for (const item of items) {
        const d = choices.get(item.id);
        if (!d || (d.choice === '继续执行' && d.reason.trim() === '')) ok = false;
      }
      submit.disabled = !ok;
      hint.textContent = ok ? '' : '每条疑点请选择“返回修改”或“继续执行”；继续执行须填写理由';
    };

    items.forEach((item, i) => {
      const card = el('div', { class: `item sev${item.severity}`, 'data-finding': item.id });
      const row = el('div', { class: 'row' });
      row.append(el('span', { class: 'tag' }, item.severityText), el('span', { class: 'name' }, item.rule), el('span', { class: 'amt' }, `涉及金额 ¥${item.amount.toFixed(2)}`));
      const meta = el('div', { class: 'meta' });
      for (const [label, value] of [
        ['项目', item.item],
        ['限定', item.limit],
        ['依据', item.basis],
      ]) {
        if (!value) continue;
        const span = el('span', {}, '');
        span.append(el('b', {}, `${label}：`), doc.createTextNode(`${value}\u3000`));
        meta.append(span);
      }
      const choice = el('div', { class: 'choices' });
      const name = `choice-${i}`;
      const back = el('input', { type: 'radio', name, value: '返回修改' });
      const go = el('input', { type: 'radio', name, value: '继续执行' });
      const reason = el('input', { class: 'reason', placeholder: '继续执行的理由（必填）', 'data-reason': item.id, disabled: '' });
      const backLabel = el('label');
      backLabel.append(back, doc.createTextNode(' 返回修改'));
      const goLabel = el('label');
      goLabel.append(go, doc.createTextNode(' 继续执行'));
      const update = () => {
        const picked = back.checked ? '返回修改' : go.checked ? '继续执行' : undefined;
        reason.disabled = picked !== '继续执行';
        reason.classList.toggle('bad', picked === '继续执行' && reason.value.trim() === '');
        if (picked) choices.set(item.id, { id: item.id, choice: picked, reason: picked === '继续执行' ? reason.value.trim() : '' });
        refresh();
      };
      back.addEventListener('change', update);
      go.addEventListener('change', update);
      reason.addEventListener('input', update);
      choice.append(backLabel, goLabel, reason);
      card.append(row, el('div', { class: 'msg' }, item.message), meta, choice);
      list.append(card);
    });

    const allBack = el('button', { 'data-action': 'all-back' }, '全部返回修改');
    allBack.addEventListener('click', () => {
      for (const input of root.querySelectorAll<HTMLInputElement>('input[value="返回修改"]')) {
        input.checked = true;
        input.dispatchEvent(new Event('change'));
      }
    });
    submit.addEventListener('click', () => {
      if (submit.disabled) return;
      host.remove();
      resolve(items.map((item) => choices.get(item.id)!));
    });
    const foot = el('div', { class: 'foot' });
    foot.append(hint, allBack, submit);
    box.append(head, list, foot);
    mask.append(box);
    root.append(style, mask);
    doc.body.append(host);
    refresh();
  });
}
