// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createMemoryHistory, createRouter } from 'vue-router';
import LoginPage from './LoginPage.vue';

describe('LoginPage', () => {
  it('asks for both fields before calling the service', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: LoginPage }] });
    await router.push('/');
    const wrapper = mount(LoginPage, { global: { plugins: [ElementPlus, router] } });
    expect(wrapper.text()).toContain('医保智能审核工作台');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test=login-error]').text()).toContain('请输入用户名和密码');
  });
});
