@description('Storage account the pipeline uses.')
param storageAccountName string

@description('Key Vault holding the SMTP password.')
param keyVaultName string

@description('Application Insights component the app writes telemetry to.')
param applicationInsightsName string

@description('Name of the function app\'s user-assigned identity.')
param appIdentityName string

@description('Object id of the DSMB principal (a group) that may read closed reports.')
param dsmbPrincipalId string

@description('Object id of the study-team principal (a group) that may read open reports; empty for none.')
param openReportReaderPrincipalId string

// Built-in role definition ids (Azure RBAC built-in roles).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource dsmbClosed 'containers' existing = {
      name: 'dsmb-closed'
    }

    resource dsmbOpen 'containers' existing = {
      name: 'dsmb-open'
    }
  }
}

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The Functions host needs blob data owner on its AzureWebJobsStorage account (leases, blob trigger receipts);
// the pipeline's containers are in the same account.
resource appBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.storageBlobDataOwner)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The blob trigger's poison queue and the host's internal queues.
resource appQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.storageQueueDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.storageTableDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appIdentity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, appIdentity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Closed (by-arm) reports: readable by the DSMB principal only, scoped to the dsmb-closed container.
resource dsmbClosedReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::blobService::dsmbClosed.id, dsmbPrincipalId, roles.storageBlobDataReader)
  scope: account::blobService::dsmbClosed
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: dsmbPrincipalId
    principalType: 'Group'
  }
}

// Open (pooled) reports: the study team reads dsmb-open and nothing else.
resource openReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(openReportReaderPrincipalId)) {
  name: guid(account::blobService::dsmbOpen.id, openReportReaderPrincipalId, roles.storageBlobDataReader)
  scope: account::blobService::dsmbOpen
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: openReportReaderPrincipalId
    principalType: 'Group'
  }
}
